using System.Text.Json;
using SearchRerank.Core;
using SearchRerank.Search;
using SearchRerank.Search.Index;

namespace SearchRerank.Rerank.Tests;

/// <summary>A temporary index of the first 300 SciFact abstracts, with the reference cross-encoder (2 threads).</summary>
public sealed class SciFactIndexFixture : IDisposable
{
    private readonly TempDirectory directory = new();

    public SciFactIndexFixture()
    {
        Documents = File.ReadLines(Path.Combine(TestPaths.Shared, "data", "scifact", "corpus.jsonl")).Take(300).Select(line =>
        {
            using var doc = JsonDocument.Parse(line);
            var r = doc.RootElement;
            return new CorpusDocument(r.GetProperty("_id").GetString()!, r.GetProperty("title").GetString()!, r.GetProperty("text").GetString()!);
        }).ToArray();
        using (var writer = Indexer.Open(directory.Path))
            writer.Write(Documents);
        Searcher = Searcher.Open(directory.Path);
        Encoder = CrossEncoder.Load(TestPaths.ReferenceModel, new CrossEncoderOptions { Threads = 2, MaxLength = 256 });
    }

    public IReadOnlyList<CorpusDocument> Documents { get; }

    public string IndexDirectory => directory.Path;

    public Searcher Searcher { get; }

    public CrossEncoder Encoder { get; }

    public void Dispose()
    {
        Encoder.Dispose();
        Searcher.Dispose();
        directory.Dispose();
    }
}
