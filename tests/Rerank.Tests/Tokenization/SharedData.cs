// SearchRerank: locates ../shared (reference tokenizer and data) from the test binaries.
namespace SearchRerank.Rerank.Tests.Tokenization;

internal static class SharedData
{
    /// <summary>The repository root: the first ancestor of the test binaries that holds SearchRerank.sln.</summary>
    public static string RepoRoot => SearchRerank.Tests.SharedPaths.RepoRoot;

    public static string Shared => SearchRerank.Tests.SharedPaths.Shared();

    public static string Reference => Path.Combine(Shared, "reference");

    public static string TinyModel => Path.Combine(Reference, "tiny-bert-ce");

}
