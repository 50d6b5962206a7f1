global using SearchRerank.Tests;

namespace SearchRerank.Tests;

/// <summary>A scratch directory for one test, deleted on dispose. Linked into every test project.</summary>
internal sealed class TempDirectory : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("searchrerank-test-").FullName;

    /// <summary>The path of <paramref name="name"/> in this directory, written with <paramref name="content"/> when given.</summary>
    public string File(string name, string? content = null)
    {
        string path = System.IO.Path.Combine(Path, name);
        if (content is not null)
            System.IO.File.WriteAllText(path, content);
        return path;
    }

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

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
