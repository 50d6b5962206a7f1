namespace SearchRerank.Cli;

/// <summary>
/// Locates the checkout the tool was built from, so defaults such as <c>index/</c> and <c>../shared</c> resolve the
/// same whatever the current directory is. Falls back to the current directory for a published build.
/// </summary>
internal static class RepositoryRoot
{
    public static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "SearchRerank.sln")))
                return dir.FullName;
        return Environment.CurrentDirectory;
    }
}
