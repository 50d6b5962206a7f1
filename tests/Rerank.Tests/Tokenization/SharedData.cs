// SearchRerank: locates ../shared (reference tokenizer and data) from the test binaries.
namespace SearchRerank.Rerank.Tests.Tokenization;

internal static class SharedData
{
    /// <summary>The repository root: the first ancestor of the test binaries that holds SearchRerank.sln.</summary>
    public static string RepoRoot { get; } = FindRoot();

    public static string Shared => Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared"));

    public static string Reference => Path.Combine(Shared, "reference");

    public static string TinyModel => Path.Combine(Reference, "tiny-bert-ce");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SearchRerank.sln")))
                return dir.FullName;
        }
        throw new DirectoryNotFoundException($"no SearchRerank.sln above {AppContext.BaseDirectory}");
    }
}
