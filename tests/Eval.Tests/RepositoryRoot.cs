namespace SearchRerank.Eval.Tests;

/// <summary>Finds the checkout root (the folder holding SearchRerank.sln) and the shared data beside it.</summary>
public static class RepositoryRoot
{
    public static string Path => SearchRerank.Tests.SharedPaths.RepoRoot;

    public static string Shared(params string[] parts) => SearchRerank.Tests.SharedPaths.Shared(parts);

}
