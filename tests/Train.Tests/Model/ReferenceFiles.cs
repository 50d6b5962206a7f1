namespace SearchRerank.Train.Tests.Model;

/// <summary>Paths into ../shared/reference, found by walking up from the test binaries to the solution root.</summary>
internal static class ReferenceFiles
{
    public static string RepoRoot => SearchRerank.Tests.SharedPaths.RepoRoot;

    public static string Reference => SearchRerank.Tests.SharedPaths.Shared("reference");

    public static string TinyModel => Path.Combine(Reference, "tiny-bert-ce");

    public static string TinyConfig => Path.Combine(TinyModel, "config.json");

    public static string TinyWeights => Path.Combine(TinyModel, "model.safetensors");

}
