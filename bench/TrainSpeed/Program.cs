// Times training steps of the TorchSharp cross-encoder: 2 layers, hidden 128, 2 heads, vocab 30,522, groups of 8 pairs
// of length 192, LCE, AdamW, dropout on (the workload of the engine comparisons in docs/benchmarks.md).
// dotnet bench/TrainSpeed/bin/Release/net10.0/TrainSpeed.dll --threads 2 [--groups 4 --group-size 8 --length 192 --steps 20 --warmup 3]
using System.Diagnostics;
using SearchRerank.Train;
using SearchRerank.Train.Losses;
using SearchRerank.Train.Modeling;
using SearchRerank.Train.Optimization;
using TorchSharp;

var options = new Dictionary<string, int> { ["threads"] = 2, ["groups"] = 4, ["group-size"] = 8, ["length"] = 192, ["steps"] = 20, ["warmup"] = 3 };
for (int i = 0; i < args.Length; i += 2)
{
    string key = args[i].TrimStart('-');
    if (!options.ContainsKey(key) || i + 1 >= args.Length || !int.TryParse(args[i + 1], out int value) || value < 0)
    {
        Console.Error.WriteLine($"error: bad argument '{args[i]}'; expected --{string.Join(" N | --", options.Keys)} N");
        return 1;
    }
    options[key] = value;
}
int threads = options["threads"], groups = options["groups"], groupSize = options["group-size"], length = options["length"];
int steps = options["steps"], warmup = options["warmup"], rows = groups * groupSize;

TorchRuntime.SetThreads(threads);
TorchRuntime.Seed(1234);
var config = new BertConfig { VocabSize = 30522, HiddenSize = 128, NumHiddenLayers = 2, NumAttentionHeads = 2, IntermediateSize = 512 };
using var model = BertForSequenceClassification.Create(config, seed: 1234);
model.train();
using var optimizer = new CrossEncoderOptimizer(model, new OptimizerSettings { LearningRate = 2e-5, WarmupSteps = 2, TotalSteps = warmup + steps });
var loss = new LocalizedContrastiveLoss();
var targets = new RankingTargets(groupSize, groups);

var random = new Random(7);
var batches = new List<EncodedBatch>();
for (int b = 0; b < warmup + steps; b++)
{
    var ids = new int[rows * length];
    var types = new int[rows * length];
    for (int r = 0; r < rows; r++)
        for (int t = 0; t < length; t++)
        {
            ids[r * length + t] = t == 0 ? 101 : t == 20 || t == length - 1 ? 102 : random.Next(1000, 30522);
            types[r * length + t] = t > 20 ? 1 : 0;
        }
    var mask = Enumerable.Repeat(1, rows * length).ToArray();
    batches.Add(EncodedBatch.FromPadded(rows, length, ids, types, mask));
}

double Step(EncodedBatch batch)
{
    using var scope = torch.NewDisposeScope();
    using var inputs = BertInputs.From(batch, config, model.Device);
    return optimizer.Backward(loss.Compute(model.call(inputs), targets));
}

foreach (var batch in batches.Take(warmup))
    Step(batch);
var process = Process.GetCurrentProcess();
var cpuStart = process.TotalProcessorTime;
var clock = Stopwatch.StartNew();
double last = 0;
foreach (var batch in batches.Skip(warmup))
    last = Step(batch);
double seconds = clock.Elapsed.TotalSeconds;
process.Refresh();
double cpu = (process.TotalProcessorTime - cpuStart).TotalSeconds;
// CPU seconds (all threads) are reported too: on a shared machine they vary far less than wall time.
Console.WriteLine($"torchsharp threads={threads} batch={rows} ({groups}x{groupSize}) length={length} steps={steps}: " +
                  $"{seconds:F2} s, {steps * rows / seconds:F1} pairs/s, {1000 * seconds / steps:F0} ms/step; " +
                  $"{cpu:F2} CPU s, {steps * rows / cpu:F1} pairs/CPU-s (last loss {last:F4})");
return 0;
