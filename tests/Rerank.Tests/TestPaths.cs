namespace SearchRerank.Rerank.Tests;

/// <summary>Locates the repository root (the folder with SearchRerank.sln) and the shared reference data beside it.</summary>
internal static class TestPaths
{
    public static readonly string RepoRoot = SearchRerank.Tests.SharedPaths.RepoRoot;

    public static string Shared => SearchRerank.Tests.SharedPaths.Shared();

    public static string ReferenceModel => Path.Combine(Shared, "reference", "tiny-bert-ce");

    public static string ScoresFile => Path.Combine(Shared, "reference", "scores.jsonl");

    /// <summary>Copies the reference model's tokenizer and config files (not the ONNX model) into <paramref name="directory"/>.</summary>
    public static void CopyReferenceTokenizerAndConfig(string directory)
    {
        foreach (var name in new[] { "config.json", "vocab.txt", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json" })
            File.Copy(Path.Combine(ReferenceModel, name), Path.Combine(directory, name));
    }
}
