namespace SearchRerank.Train.Tests.Model;

/// <summary>Paths into ../shared/reference, found by walking up from the test binaries to the solution root.</summary>
internal static class ReferenceFiles
{
    public static string RepoRoot { get; } = FindRoot();

    public static string Reference => Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared", "reference"));

    public static string TinyModel => Path.Combine(Reference, "tiny-bert-ce");

    public static string TinyConfig => Path.Combine(TinyModel, "config.json");

    public static string TinyWeights => Path.Combine(TinyModel, "model.safetensors");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "SearchRerank.sln")))
                return dir.FullName;
        throw new InvalidOperationException($"SearchRerank.sln not found above {AppContext.BaseDirectory}");
    }
}

/// <summary>A temporary directory deleted on dispose.</summary>
internal sealed class TempDirectory : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("srtest-").FullName;

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
