namespace SearchRerank.Train.Tests;

/// <summary>
/// libtorch's random generator and thread count are process-wide, so tests that seed, train or set threads must not
/// interleave with each other: they share this collection, which xunit runs on its own.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TorchCollection
{
    public const string Name = "Torch";
}
