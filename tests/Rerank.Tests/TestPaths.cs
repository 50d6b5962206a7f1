// SearchRerank — MIT licence.
namespace SearchRerank.Rerank.Tests;

/// <summary>Locates the repository root (the folder with SearchRerank.sln) and the shared reference data beside it.</summary>
internal static class TestPaths
{
    public static readonly string RepoRoot = SearchRerank.Tests.SharedPaths.RepoRoot;

    public static string Shared => SearchRerank.Tests.SharedPaths.Shared();

    public static string ReferenceModel => Path.Combine(Shared, "reference", "tiny-bert-ce");

    public static string ScoresFile => Path.Combine(Shared, "reference", "scores.jsonl");


    /// <summary>A fresh temporary directory, deleted when disposed.</summary>
    public sealed class TempDirectory : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("searchrerank-test-").FullName;

        public void Dispose() => Directory.Delete(Path, recursive: true);

        /// <summary>Copies the reference model's tokenizer and config files (not the ONNX model) into this directory.</summary>
        public void CopyReferenceTokenizerAndConfig()
        {
            foreach (var name in new[] { "config.json", "vocab.txt", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json" })
                File.Copy(System.IO.Path.Combine(ReferenceModel, name), System.IO.Path.Combine(Path, name));
        }
    }
}
