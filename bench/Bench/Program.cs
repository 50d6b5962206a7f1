// Benchmark driver: exports SciFact re-ranking pairs, measures cross-encoder throughput and ORT's GEMM rate.
// Usage:
//   searchrerank-bench pairs --index DIR --queries FILE --run FILE --queries-count N --depth K --out pairs.jsonl
//   searchrerank-bench throughput --model DIR --pairs pairs.jsonl [--threads 2] [--concurrency 1] [--batch 32] [--max-length 256] [--repeat 3] [--device cpu]
//   searchrerank-bench gemm [--size 2048] [--threads 2] [--repeat 5]
//   searchrerank-bench drift --model DIR --baseline DIR --pairs pairs.jsonl [--max-length 256] [--threads 2]
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.ML.OnnxRuntime;
using SearchRerank.Bench;
using SearchRerank.Core;
using SearchRerank.Eval;
using SearchRerank.Rerank;
using SearchRerank.Rerank.Onnx;
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
    case "drift":
        Drift(options);
        break;
    default:
        Console.Error.WriteLine("usage: searchrerank-bench pairs|throughput|gemm|drift [--option value ...] (see Program.cs)");
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
            output.WriteLine(JsonSerializer.Serialize(new { qid, docid = entry.DocId, query = queries[qid], document = CorpusDocument.TitleAndText(doc.Title, doc.Text) }));
            pairs++;
        }
    }

    Console.WriteLine($"wrote {pairs} pairs of {Math.Min(count, run.QueryIds.Count)} queries to {a.Get("out")}");
}

static (string Qid, string Query, string Document)[] ReadPairs(string path) =>
    File.ReadLines(path).Select(line =>
    {
        using var doc = JsonDocument.Parse(line);
        var root = doc.RootElement;
        return (root.GetProperty("qid").GetString()!, root.GetProperty("query").GetString()!, root.GetProperty("document").GetString()!);
    }).ToArray();

static void Throughput(Arguments a)
{
    var pairs = ReadPairs(a.Get("pairs")).Select(p => (p.Query, p.Document)).ToArray();
    var options = new CrossEncoderOptions
    {
        Threads = a.Int("threads", 2),
        BatchSize = a.Int("batch", 32),
        MaxLength = a.Int("max-length", 256),
        ConcurrentBatches = a.Int("concurrency", 1),
        Device = a.String("device", "cpu") switch
        {
            "cpu" => ExecutionDevice.Cpu,
            "cuda" => ExecutionDevice.Cuda,
            "auto" => ExecutionDevice.Auto,
            var other => throw new ArgumentException($"--device: expected cpu, cuda or auto, got '{other}'"),
        },
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
                      + $"(+{100 * (paddedTokens / lengths.Sum() - 1):F1}% padding), {options}; {encoder.ExecutionProvider}, ONNX Runtime {OnnxRuntimeEnvironment.Version}");
    Console.WriteLine($"time per pass: {string.Join(", ", times.Select(t => t.ToString("F2")))} s; median {median:F2} s");
    Console.WriteLine($"throughput (median pass): {pairs.Length / median:F1} pairs/s; best pass {pairs.Length / best:F1} pairs/s");
    Console.WriteLine($"encoder FLOPs per pass {flops / 1e9:F1} GFLOP; achieved {flops / median / 1e9:F2} GFLOP/s (median pass)");
}

// ORT's fp32 MatMul rate for n×n matrices, the ceiling of the encoder's GEMMs, measured two ways: ORT allocating the
// output per run (as a plain Run does), and ORT writing into one pre-allocated output (as CrossEncoder runs). At
// n = 2048 the output is 16 MB, whose allocation and first-touch page faults cost as much as a large part of the kernel.
static void Gemm(Arguments a)
{
    var n = a.Int("size", 2048);
    var threads = a.Int("threads", 2);
    var repeat = a.Int("repeat", 5);
    var path = Path.Combine(Path.GetTempPath(), $"searchrerank-gemm-{Environment.ProcessId}-{n}.onnx");
    File.WriteAllBytes(path, MatMulModel.Build(n));
    try
    {
        OnnxRuntimeEnvironment.EnsureCreated(); // the project's ORT environment: log sink, telemetry off
        using var sessionOptions = new SessionOptions { IntraOpNumThreads = threads, InterOpNumThreads = 1 };
        using var session = new InferenceSession(path, sessionOptions);
        using var runOptions = new RunOptions();
        var random = new Random(1);
        var x = Enumerable.Range(0, n * n).Select(_ => (float)random.NextDouble()).ToArray();
        var y = Enumerable.Range(0, n * n).Select(_ => (float)random.NextDouble()).ToArray();
        var c = GC.AllocateArray<float>(n * n, pinned: true);
        long[] shape = [n, n];
        using var tx = OrtValue.CreateTensorValueFromMemory(x, shape);
        using var ty = OrtValue.CreateTensorValueFromMemory(y, shape);
        using var tc = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, c.AsMemory(), shape);
        string[] inputs = ["A", "B"], outputs = ["C"];
        OrtValue[] values = [tx, ty], results = [tc];

        double[] Time(Action run)
        {
            run();
            var times = new double[repeat];
            for (var r = 0; r < repeat; r++)
            {
                var clock = Stopwatch.StartNew();
                run();
                times[r] = clock.Elapsed.TotalSeconds;
            }
            return times;
        }

        var flops = 2.0 * n * n * n;
        void Report(string how, double[] times)
        {
            var median = times.Order().ElementAt(times.Length / 2);
            Console.WriteLine($"ORT {OnnxRuntimeEnvironment.Version} CPUExecutionProvider MatMul {n}x{n} fp32, {threads} threads, {how}: "
                              + $"median {median * 1e3:F1} ms, {flops / median / 1e9:F2} GFLOP/s (best {flops / times.Min() / 1e9:F2})");
        }

        // Alternate the two ways so both see the same machine load.
        var allocated = new List<double>();
        var preallocated = new List<double>();
        for (var round = 0; round < 2; round++)
        {
            allocated.AddRange(Time(() =>
            {
                using var produced = session.Run(runOptions, inputs, values, outputs);
            }));
            preallocated.AddRange(Time(() => session.Run(runOptions, inputs, values, outputs, results)));
        }
        Report("ORT allocates the output", [.. allocated]);
        Report("pre-allocated output", [.. preallocated]);
    }
    finally
    {
        File.Delete(path);
    }
}

// How far a model's scores (e.g. an int8 copy) move from a baseline's on the same pairs: absolute differences in
// units of the baseline's score spread, and how often two documents of one query swap order.
static void Drift(Arguments a)
{
    var pairs = ReadPairs(a.Get("pairs"));
    var options = new CrossEncoderOptions { Threads = a.Int("threads", 2), MaxLength = a.Int("max-length", 256) };
    float[] Score(string model)
    {
        using var encoder = CrossEncoder.Load(model, options);
        return encoder.Predict(pairs.Select(p => (p.Query, p.Document)).ToArray());
    }
    var baseline = Score(a.Get("baseline"));
    var scores = Score(a.Get("model"));
    var diffs = baseline.Zip(scores, (b, s) => Math.Abs((double)b - s)).ToArray();
    double mean = baseline.Average(b => (double)b);
    double spread = Math.Sqrt(baseline.Average(b => (b - mean) * (b - mean)));
    long concordant = 0, discordant = 0;
    int sameTop = 0, queries = 0;
    foreach (var query in Enumerable.Range(0, pairs.Length).GroupBy(i => pairs[i].Qid))
    {
        var items = query.ToArray();
        for (var i = 0; i < items.Length; i++)
            for (var j = i + 1; j < items.Length; j++)
            {
                var sign = Math.Sign(baseline[items[i]] - baseline[items[j]]) * Math.Sign(scores[items[i]] - scores[items[j]]);
                if (sign > 0) concordant++;
                else if (sign < 0) discordant++;
            }
        queries++;
        if (items.MaxBy(i => baseline[i]) == items.MaxBy(i => scores[i]))
            sameTop++;
    }
    Console.WriteLine($"{a.Get("model")} vs {a.Get("baseline")}: {pairs.Length} pairs of {queries} queries");
    Console.WriteLine($"|score difference|: max {diffs.Max():F4}, mean {diffs.Average():F4}; baseline score std {spread:F4} "
                      + $"(max/std {diffs.Max() / spread:F3})");
    Console.WriteLine($"within-query pair order: Kendall tau {(double)(concordant - discordant) / (concordant + discordant):F4} "
                      + $"({discordant} of {concordant + discordant} pairs swapped); same top document in {sameTop} of {queries} queries");
}
