// The own safetensors reader (SearchRerank.Train.Modeling.SafeTensors) against TorchSharp.PyBridge 1.4.4's
// (Safetensors.LoadStateDict): every tensor compared bit for bit, then both timed in alternating rounds, and how each
// reports a damaged file. Results: docs/training.md, "Reading safetensors".
// dotnet bench/SafeTensorsCompare/bin/Release/net10.0/SafeTensorsCompare.dll [--rounds 5] FILE.safetensors...
using System.Diagnostics;
using System.Runtime.InteropServices;
using SearchRerank.Train.Modeling;
using TorchSharp;
using PyBridge = TorchSharp.PyBridge.Safetensors;

int rounds = 5;
var files = new List<string>();
for (int i = 0; i < args.Length; i++)
{
    if (args[i] == "--rounds")
        rounds = int.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture);
    else
        files.Add(args[i]);
}
if (files.Count == 0)
{
    Console.Error.WriteLine("usage: SafeTensorsCompare [--rounds 5] FILE.safetensors...");
    return 2;
}

torch.set_num_threads(1);
int failures = 0;
foreach (string file in files)
{
    // Exactness: same names, shapes and float32 bits.
    var own = SafeTensors.Read(file);
    var theirs = PyBridge.LoadStateDict(file);
    int equal = 0;
    long values = 0;
    foreach (var (name, tensor) in own)
    {
        if (!theirs.TryGetValue(name, out var other))
        {
            Console.WriteLine($"  {name}: missing in PyBridge's dictionary");
            continue;
        }
        bool sameShape = other.shape.SequenceEqual(tensor.Shape);
        float[] data = other.to_type(torch.float32).data<float>().ToArray();
        bool sameBits = sameShape && MemoryMarshal.Cast<float, int>(data).SequenceEqual(MemoryMarshal.Cast<float, int>(tensor.Data.AsSpan()));
        if (sameBits)
            equal++;
        else
            Console.WriteLine($"  {name}: differs ({other.dtype}, shape [{string.Join(", ", other.shape)}] vs [{string.Join(", ", tensor.Shape)}])");
        values += tensor.Data.Length;
    }
    Console.WriteLine($"{file}: {new FileInfo(file).Length:N0} bytes, {own.Count} tensors, {values:N0} values; PyBridge {theirs.Count} tensors; bit-identical {equal} / {own.Count}");
    failures += own.Count - equal + Math.Abs(theirs.Count - own.Count);
    foreach (var t in theirs.Values)
        t.Dispose();

    // Speed, alternating (the order flips each round): the own reader to float[] (what src/Train consumes), the own
    // reader then torch tensors (what PyBridge returns), and PyBridge.
    var times = new Dictionary<string, List<double>> { ["own"] = [], ["own+tensors"] = [], ["pybridge"] = [] };
    string[] order = ["own", "own+tensors", "pybridge"];
    for (int r = 0; r < rounds + 1; r++)
    {
        foreach (string how in r % 2 == 0 ? order : order.Reverse())
        {
            var watch = Stopwatch.StartNew();
            switch (how)
            {
                case "own":
                    GC.KeepAlive(SafeTensors.Read(file));
                    break;
                case "own+tensors":
                    foreach (var t in SafeTensors.Read(file).Values.Select(t => torch.tensor(t.Data, t.Shape)).ToList())
                        t.Dispose();
                    break;
                default:
                    foreach (var t in PyBridge.LoadStateDict(file).Values)
                        t.Dispose();
                    break;
            }
            if (r > 0)
                times[how].Add(watch.Elapsed.TotalMilliseconds);
        }
    }
    string load = File.ReadAllText("/proc/loadavg").Split(' ')[0];
    foreach (var (how, list) in times)
        Console.WriteLine($"  {how,-12} median {Median(list),8:F1} ms  ({string.Join(" / ", list.Select(t => t.ToString("F1", System.Globalization.CultureInfo.InvariantCulture)))})  load {load}");

    // A damaged file: the last 1,000 bytes cut off.
    string cut = Path.Combine(Path.GetTempPath(), $"safetensors-cut-{Environment.ProcessId}.safetensors");
    byte[] bytes = File.ReadAllBytes(file);
    File.WriteAllBytes(cut, bytes.AsSpan(0, bytes.Length - 1000).ToArray());
    Console.WriteLine($"  truncated, own:      {Message(() => SafeTensors.Read(cut))}");
    Console.WriteLine($"  truncated, PyBridge: {Message(() => PyBridge.LoadStateDict(cut))}");
    File.Delete(cut);
}
return failures == 0 ? 0 : 1;

static double Median(List<double> values)
{
    var sorted = values.Order().ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
}

static string Message(Func<object> read)
{
    try
    {
        read();
        return "no error";
    }
    catch (Exception ex)
    {
        return $"{ex.GetType().Name}: {ex.Message.Split('\n')[0]}";
    }
}
