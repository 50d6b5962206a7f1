namespace SearchRerank.Train.Tests.Engine;

/// <summary>
/// libtorch's random generator and thread count are process-wide, so tests that seed or train must not interleave
/// with each other: they share this collection, which xunit runs on its own.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class EngineCollection
{
    public const string Name = "Engine";
}
