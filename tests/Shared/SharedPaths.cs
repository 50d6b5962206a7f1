namespace SearchRerank.Tests;

/// <summary>
/// Where tests find their inputs: the checkout root (the first ancestor of the test binaries holding
/// SearchRerank.sln) and the read-only <c>../shared</c> folder beside it. Linked into every test project.
/// </summary>
internal static class SharedPaths
{
    public static string RepoRoot { get; } = FindRoot();

    /// <summary>A path under <c>../shared</c>, e.g. <c>Shared("reference", "tiny-bert-ce")</c>.</summary>
    public static string Shared(params string[] parts) =>
        Path.GetFullPath(Path.Combine([RepoRoot, "..", "shared", .. parts]));

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "SearchRerank.sln")))
                return dir.FullName;
        throw new DirectoryNotFoundException($"SearchRerank.sln not found above {AppContext.BaseDirectory}");
    }
}
