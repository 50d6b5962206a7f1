namespace SearchRerank.Search.Tests;

/// <summary>Locations shared by the tests: the repository root (found by walking up to SearchRerank.sln) and ../shared data.</summary>
internal static class TestPaths
{
    public static string RepoRoot => SearchRerank.Tests.SharedPaths.RepoRoot;

    public static string SharedData(params string[] parts) =>
        SearchRerank.Tests.SharedPaths.Shared(["data", .. parts]);

}

/// <summary>A fresh directory under the system temp folder, deleted on dispose.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "sr-search-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name, string? content = null)
    {
        var path = System.IO.Path.Combine(Path, name);
        if (content is not null)
            System.IO.File.WriteAllText(path, content);
        return path;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A leaked temp folder must not fail a test run.
        }
    }
}
