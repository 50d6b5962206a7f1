namespace SearchRerank.Eval.Tests;

/// <summary>Finds the checkout root (the folder holding SearchRerank.sln) and the shared data beside it.</summary>
public static class RepositoryRoot
{
    public static string Path { get; } = Find();

    public static string Shared(params string[] parts) =>
        System.IO.Path.GetFullPath(System.IO.Path.Combine([Path, "..", "shared", .. parts]));

    private static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(directory.FullName, "SearchRerank.sln")))
                return directory.FullName;
        }
        throw new InvalidOperationException($"SearchRerank.sln not found above {AppContext.BaseDirectory}");
    }
}
