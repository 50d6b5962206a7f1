namespace SearchRerank.Search.Tests;

/// <summary>Locations shared by the tests: the repository root (found by walking up to SearchRerank.sln) and ../shared data.</summary>
internal static class TestPaths
{
    public static string RepoRoot => SearchRerank.Tests.SharedPaths.RepoRoot;

    public static string SharedData(params string[] parts) =>
        SearchRerank.Tests.SharedPaths.Shared(["data", .. parts]);

}
