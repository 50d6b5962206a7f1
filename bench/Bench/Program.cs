// SearchRerank — MIT licence.
// Benchmark driver: exports SciFact re-ranking pairs, measures cross-encoder throughput and ORT's GEMM rate.
// Usage:
//   searchrerank-bench pairs --index DIR --queries FILE --run FILE --queries-count N --depth K --out pairs.jsonl
//   searchrerank-bench throughput --model DIR --pairs pairs.jsonl [--threads 2] [--concurrency 1] [--batch 32] [--max-length 256] [--repeat 3]
//   searchrerank-bench gemm [--size 2048] [--threads 2] [--repeat 5]
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using SearchRerank.Bench;
using SearchRerank.Evaluation;
using SearchRerank.Rerank;
using SearchRerank.Search;

var command = args.Length > 0 ? args[0] : "";
var options = Arguments.Parse(args.Skip(1).ToArray());
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
switch (command)
{
    case "pairs":
        ExportPairs(options);
        break;
    case "throughput":
        Throughput(options);
        break;
    case "gemm":
        Gemm(options);
        break;
    default:
        Console.Error.WriteLine("usage: searchrerank-bench pairs|throughput|gemm [--option value ...] (see Program.cs)");
        return 2;
}

return 0;

static void ExportPairs(Arguments a)
{
    var queries = QueriesReader.Read(a.Get("queries")).ToDictionary(q => q.Id, q => q.Text);
    var run = RunReader.Read(a.Get("run"));
    using var searcher = Searcher.Open(a.Get("index"));
    var count = a.Int("queries-count", 20);
    var depth = a.Int("depth", 100);
    using var output = new StreamWriter(a.Get("out"));
    var pairs = 0;
    foreach (var qid in run.QueryIds.Take(count))
    {
        foreach (var entry in run.Ranked(qid).Take(depth))
        {
            var doc = searcher.GetDocument(entry.DocId) ?? throw new InvalidDataException($"document {entry.DocId} not in the index");
            var text = string.IsNullOrEmpty(doc.Title) ? doc.Text : doc.Title + " " + doc.Text;
            output.WriteLine(JsonSerializer.Serialize(new { qid, docid = entry.DocId, query = queries[qid], document = text }));
            pairs++;
        }
    }

    Console.WriteLine($"wrote {pairs} pairs of {Math.Min(count, run.QueryIds.Count)} queries to {a.Get("out")}");
}

static void Throughput(Arguments a)
{
    var pairs = File.ReadLines(a.Get("pairs")).Select(line =>
    {
        using var doc = JsonDocument.Parse(line);
        return (doc.RootElement.GetProperty("query").GetString()!, doc.RootElement.GetProperty("document").GetString()!);
    }).ToArray();
    var options = new CrossEncoderOptions
    {
        Threads = a.Int("threads", 2),
        BatchSize = a.Int("batch", 32),
        MaxLength = a.Int("max-length", 256),
        ConcurrentBatches = a.Int("concurrency", 1),
    };
    using var encoder = CrossEncoder.Load(a.Get("model"), options);
    var repeat = a.Int("repeat", 3);

    // Work actually executed: the same length-sorted batches Predict forms, each padded to its longest pair.
    var lengths = pairs.Select(p => encoder.Tokenizer.EncodePair(p.Item1, p.Item2, options.MaxLength).InputIds.Length).Order().ToArray();
    var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(a.Get("model"), "config.json"))).RootElement;
    double layers = config.GetProperty("num_hidden_layers").GetInt32(), hidden = config.GetProperty("hidden_size").GetInt32(),
        inter = config.GetProperty("intermediate_size").GetInt32();
    double flops = 0, paddedTokens = 0;
    for (var start = 0; start < lengths.Length; start += options.BatchSize)
    {
        var batch = lengths.Skip(start).Take(options.BatchSize).ToArray();
        double l = batch.Max();
        paddedTokens += batch.Length * l;
        // Per token and layer: Q,K,V,O projections 4h² MACs, feed-forward 2·h·i MACs, attention scores and context 2·L·h MACs.
        flops += batch.Length * l * layers * 2 * (4 * hidden * hidden + 2 * hidden * inter + 2 * l * hidden);
    }

    encoder.Predict(pairs.Take(options.BatchSize).ToArray()); // warm-up: first-run allocations and kernel selection
    var times = new List<double>();
    for (var r = 0; r < repeat; r++)
    {
        var clock = Stopwatch.StartNew();
        encoder.Predict(pairs);
        times.Add(clock.Elapsed.TotalSeconds);
    }

    var best = times.Min();
    var median = times.Order().ElementAt(times.Count / 2);
    Console.WriteLine($"model {a.Get("model")}: {pairs.Length} pairs, mean length {lengths.Average():F1} tokens, padded tokens {paddedTokens:F0} "
                      + $"(+{100 * (paddedTokens / lengths.Sum() - 1):F1}% padding), {options}");
    Console.WriteLine($"time per pass: {string.Join(", ", times.Select(t => t.ToString("F2")))} s; median {median:F2} s");
    Console.WriteLine($"throughput (median pass): {pairs.Length / median:F1} pairs/s; best pass {pairs.Length / best:F1} pairs/s");
    Console.WriteLine($"encoder FLOPs per pass {flops / 1e9:F1} GFLOP; achieved {flops / median / 1e9:F2} GFLOP/s (median pass)");
}

static void Gemm(Arguments a)
{
    var n = a.Int("size", 2048);
    var threads = a.Int("threads", 2);
    var repeat = a.Int("repeat", 5);
    var path = Path.Combine(Path.GetTempPath(), $"searchrerank-gemm-{n}.onnx");
    File.WriteAllBytes(path, MatMulModel.Build(n));
    using var session = OrtSession.Open(path, new OrtSessionSettings(IntraOpThreads: threads));
    var random = new Random(1);
    var x = Enumerable.Range(0, n * n).Select(_ => (float)random.NextDouble()).ToArray();
    var y = Enumerable.Range(0, n * n).Select(_ => (float)random.NextDouble()).ToArray();
    using var tx = session.CreateTensor(x, [n, n]);
    using var ty = session.CreateTensor(y, [n, n]);
    string[] names = ["A", "B"];
    session.Run(names, [tx, ty], "C");
    var times = new List<double>();
    for (var r = 0; r < repeat; r++)
    {
        var clock = Stopwatch.StartNew();
        session.Run(names, [tx, ty], "C");
        times.Add(clock.Elapsed.TotalSeconds);
    }

    File.Delete(path);
    var median = times.Order().ElementAt(times.Count / 2);
    var flops = 2.0 * n * n * n;
    Console.WriteLine($"ORT {OrtSession.RuntimeVersion} MatMul {n}x{n} fp32, {threads} threads: median {median * 1e3:F1} ms, "
                      + $"{flops / median / 1e9:F2} GFLOP/s (best {flops / times.Min() / 1e9:F2})");
}
