// SearchRerank: tokenizer throughput on SciFact (documents = title + " " + text, queries = claims).
// Usage: dotnet run -c Release --project bench/TokenizerSpeed [-- SHARED_DIR [ROUNDS]]
// Reports wall time and process CPU time: on a shared machine CPU time is the steadier figure.
using System.Diagnostics;
using Lucene.Net.Index;
using Lucene.Net.Util;
using SearchRerank.Core;
using SearchRerank.Eval;
using SearchRerank.Rerank.Pretokenization;
using SearchRerank.Rerank.Tokenization;
using SearchRerank.Search;
using SearchRerank.Search.Index;

string shared = args.Length > 0 ? args[0] : Path.Combine(AppContext.BaseDirectory, "../../../../../../shared");
int rounds = args.Length > 1 ? int.Parse(args[1]) : 5;
var tokenizer = BertTokenizer.FromDirectory(Path.Combine(shared, "reference", "tiny-bert-ce"));
var documents = CorpusReader.Read(Path.Combine(shared, "data", "scifact", "corpus.jsonl")).ToList();
var texts = documents.Select(d => CorpusDocument.TitleAndText(d.Title, d.Text)).ToList();
var queries = QueriesReader.Read(Path.Combine(shared, "data", "scifact", "queries.jsonl")).Select(q => q.Text).ToList();
long characters = texts.Sum(t => (long)t.Length);
var process = Process.GetCurrentProcess();
Console.WriteLine($"SciFact: {texts.Count:N0} documents, {characters:N0} chars; {queries.Count:N0} queries; {Environment.ProcessorCount} cores; " +
                  $"load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");

long tokens = 0;
Measure("Tokenize, one thread", texts.Count, "docs", () =>
{
    tokens = 0;
    foreach (var text in texts)
        tokens += tokenizer.Tokenize(text).Length;
}, () => $"{tokens:N0} tokens, {characters / 1e6:F1} M chars");
Measure("Tokenize, all cores", texts.Count, "docs", () =>
    Parallel.ForEach(texts, text => tokenizer.Tokenize(text)), () => "");

var documentIds = texts.Select(tokenizer.Tokenize).ToList();
var queryIds = queries.Select(tokenizer.Tokenize).ToList();
const int pairs = 20_000;
Measure("EncodePair(query, document, 512) from strings, one thread", pairs, "pairs", () =>
{
    for (int i = 0; i < pairs; i++)
        tokenizer.EncodePair(queries[i % queries.Count], texts[i * 7 % texts.Count], 512);
}, () => "");
Measure("EncodePair(ids, ids, 512) from pre-tokenized ids, one thread", pairs * 10, "pairs", () =>
{
    for (int i = 0; i < pairs * 10; i++)
        tokenizer.EncodePair(queryIds[i % queryIds.Count], documentIds[i * 7 % documentIds.Count], 512);
}, () => "");

string directory = Path.Combine(Path.GetTempPath(), "tokenizer-speed-" + Guid.NewGuid().ToString("N"));
try
{
    using (var writer = Indexer.Open(directory))
    {
        writer.Write(documents);
        // Each round stores the ids under a new tag, so every round tokenizes and writes every document again.
        var round = 0;
        Measure("Indexer.Pretokenize into the index (all cores)", texts.Count, "docs",
            () => Pretokenizer.Run(writer, $"{tokenizer.Fingerprint}-{round++}", tokenizer.Tokenize), () => "");
        Pretokenizer.Run(writer, tokenizer.Fingerprint, tokenizer.Tokenize);
    }
    using var searcher = Searcher.Open(directory);
    using var snapshot = searcher.Acquire();
    var values = MultiDocValues.GetBinaryValues(snapshot.IndexSearcher.IndexReader, IndexSchema.WordPieceIds);
    var bytes = new BytesRef();
    Measure("pre-tokenized ids read from doc values, one thread", texts.Count, "lookups", () =>
    {
        for (var doc = 0; doc < snapshot.IndexSearcher.IndexReader.MaxDoc; doc++)
        {
            values.Get(doc, bytes);
            PretokenizedIds.TryDecode(bytes, tokenizer.Fingerprint, out _);
        }
    }, () => "");
}
finally
{
    Directory.Delete(directory, recursive: true);
}

void Measure(string name, long items, string unit, Action work, Func<string> detail)
{
    work(); // warm-up: JIT tiers, pools
    double bestWall = double.MaxValue, bestCpu = double.MaxValue;
    for (int round = 0; round < rounds; round++)
    {
        process.Refresh();
        var cpuBefore = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        work();
        double wall = clock.Elapsed.TotalSeconds;
        process.Refresh();
        double cpu = (process.TotalProcessorTime - cpuBefore).TotalSeconds;
        bestWall = Math.Min(bestWall, wall);
        bestCpu = Math.Min(bestCpu, cpu);
    }
    Console.WriteLine($"{name}: best of {rounds}: {items / bestWall:N0} {unit}/s wall, {items / bestCpu:N0} {unit}/CPU-s; {detail()}");
}
