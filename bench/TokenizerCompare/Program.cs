// SearchRerank: its BERT tokenizer next to Microsoft.ML.Tokenizers' BertTokenizer, both loading the reference model's
// vocab.txt (bert-base-uncased: lowercase, strip accents, split CJK), on
//   1. the 1,060 pair records of ../shared/reference/tokenization.jsonl: each segment encoded by each tokenizer, then the
//      same longest_first truncation and [CLS] q [SEP] d [SEP] assembly (BertTokenizer.EncodePair on ids), against the
//      Hugging Face ids; by category, with the commonest first differences;
//   2. the 158 single texts of tokenization-single.jsonl ([CLS] text [SEP]);
//   3. SciFact (5,183 documents, title + " " + text): CPU time to tokenize the corpus, best of ROUNDS.
// Usage: dotnet run -c Release --project bench/TokenizerCompare [-p:InvariantGlobalization=false] [-- SHARED_DIR [ROUNDS]]
using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.ML.Tokenizers;
using BertTokenizer = SearchRerank.Rerank.Tokenization.BertTokenizer;
using MlBertTokenizer = Microsoft.ML.Tokenizers.BertTokenizer;

CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
string shared = args.Length > 0 ? args[0] : Path.Combine(AppContext.BaseDirectory, "../../../../../../shared");
int rounds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5;
string reference = Path.Combine(shared, "reference");
string vocab = Path.Combine(reference, "tiny-bert-ce", "vocab.txt");

var ours = BertTokenizer.FromDirectory(Path.Combine(reference, "tiny-bert-ce"));
var ml = MlBertTokenizer.Create(vocab, new BertOptions
{
    LowerCaseBeforeTokenization = true,
    RemoveNonSpacingMarks = true,
    IndividuallyTokenizeCjk = true,
    ApplyBasicTokenization = true,
    SplitOnSpecialTokens = true,
});
bool invariant = AppContext.TryGetSwitch("System.Globalization.Invariant", out bool on) && on;
string mlVersion = typeof(Tokenizer).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "?";
Console.WriteLine($"Microsoft.ML.Tokenizers {mlVersion} vs SearchRerank BertTokenizer; "
                  + $"globalization {(invariant ? "invariant (InvariantGlobalization=true, the project's setting)" : "ICU")}; "
                  + $"{Environment.ProcessorCount} cores, load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");

var readable = new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
int[] MlSegment(string text) => [.. ml.EncodeToIds(text, addSpecialTokens: false)];
string Tokens(IEnumerable<int> ids) => string.Join(" ", ids.Select(ours.IdToToken));

// 1. Pair records.
var byCategory = new SortedDictionary<string, (int Total, int OursExact, int MlExact)>(StringComparer.Ordinal);
var firstDifferences = new Dictionary<string, int>(StringComparer.Ordinal);
foreach (var line in File.ReadLines(Path.Combine(reference, "tokenization.jsonl")))
{
    using var record = JsonDocument.Parse(line);
    var root = record.RootElement;
    string query = root.GetProperty("query").GetString()!, document = root.GetProperty("document").GetString()!;
    int maxLength = root.GetProperty("max_length").GetInt32();
    int[] expected = [.. root.GetProperty("input_ids").EnumerateArray().Select(e => e.GetInt32())];
    var mine = ours.EncodePair(query, document, maxLength).InputIds;
    var theirs = ours.EncodePair(MlSegment(query), MlSegment(document), maxLength).InputIds;
    string category = root.GetProperty("category").GetString()!;
    var (total, oursExact, mlExact) = byCategory.GetValueOrDefault(category);
    bool mlAgrees = theirs.SequenceEqual(expected);
    byCategory[category] = (total + 1, oursExact + (mine.SequenceEqual(expected) ? 1 : 0), mlExact + (mlAgrees ? 1 : 0));
    if (!mlAgrees)
    {
        int at = 0;
        while (at < expected.Length && at < theirs.Length && expected[at] == theirs[at])
            at++;
        string want = at < expected.Length ? ours.IdToToken(expected[at]) : "(end)";
        string got = at < theirs.Length ? ours.IdToToken(theirs[at]) : "(end)";
        string key = $"Hugging Face `{want}`, ML.Tokenizers `{got}`";
        firstDifferences[key] = firstDifferences.GetValueOrDefault(key) + 1;
    }
}

int pairs = byCategory.Values.Sum(v => v.Total);
Console.WriteLine();
Console.WriteLine($"Pair records equal to Hugging Face: SearchRerank {byCategory.Values.Sum(v => v.OursExact)} of {pairs}, "
                  + $"ML.Tokenizers {byCategory.Values.Sum(v => v.MlExact)} of {pairs}");
Console.WriteLine();
Console.WriteLine("| category | records | SearchRerank exact | ML.Tokenizers exact |");
Console.WriteLine("| --- | ---: | ---: | ---: |");
foreach (var (category, (total, oursExact, mlExact)) in byCategory)
    Console.WriteLine($"| {category} | {total} | {oursExact} | {mlExact} |");
Console.WriteLine();
Console.WriteLine("Commonest first differences of ML.Tokenizers from Hugging Face (records):");
foreach (var (key, count) in firstDifferences.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal).Take(15))
    Console.WriteLine($"- {count}: {key}");

// 2. Single texts.
int singles = 0, oursSingles = 0, mlSingles = 0;
var singleExamples = new List<string>();
foreach (var line in File.ReadLines(Path.Combine(reference, "tokenization-single.jsonl")))
{
    using var record = JsonDocument.Parse(line);
    var root = record.RootElement;
    string text = root.GetProperty("text").GetString()!;
    int[] expected = [.. root.GetProperty("input_ids").EnumerateArray().Select(e => e.GetInt32())];
    int[] mine = [ours.ClsId, .. ours.Tokenize(text), ours.SepId];
    int[] theirs = [.. ml.EncodeToIds(text, addSpecialTokens: true)];
    singles++;
    oursSingles += mine.SequenceEqual(expected) ? 1 : 0;
    if (theirs.SequenceEqual(expected))
        mlSingles++;
    else if (singleExamples.Count < 12)
        singleExamples.Add($"- {JsonSerializer.Serialize(text, readable)}: Hugging Face `{Tokens(expected[1..^1])}`, ML.Tokenizers `{Tokens(theirs.Length >= 2 ? theirs[1..^1] : theirs)}`");
}
Console.WriteLine();
Console.WriteLine($"Single texts equal to Hugging Face: SearchRerank {oursSingles} of {singles}, ML.Tokenizers {mlSingles} of {singles}; e.g.");
foreach (var example in singleExamples)
    Console.WriteLine(example);

// 3. Speed on SciFact.
var texts = File.ReadLines(Path.Combine(shared, "data", "scifact", "corpus.jsonl")).Select(line =>
{
    using var document = JsonDocument.Parse(line);
    var root = document.RootElement;
    string title = root.GetProperty("title").GetString() ?? "", text = root.GetProperty("text").GetString() ?? "";
    return title.Length == 0 ? text : title + " " + text;
}).ToList();
long characters = texts.Sum(t => (long)t.Length);
var process = Process.GetCurrentProcess();
double BestCpuSeconds(Func<string, int> tokenize, out long tokens)
{
    long count = 0;
    foreach (var text in texts)
        count += tokenize(text); // warm-up: JIT tiers, pools
    tokens = count;
    double best = double.MaxValue;
    for (int round = 0; round < rounds; round++)
    {
        process.Refresh();
        var before = process.TotalProcessorTime;
        foreach (var text in texts)
            tokenize(text);
        process.Refresh();
        best = Math.Min(best, (process.TotalProcessorTime - before).TotalSeconds);
    }
    return best;
}

double oursCpu = BestCpuSeconds(t => ours.Tokenize(t).Length, out long oursTokens);
double mlCpu = BestCpuSeconds(t => ml.EncodeToIds(t, addSpecialTokens: false).Count, out long mlTokens);
Console.WriteLine();
Console.WriteLine($"SciFact, {texts.Count:N0} documents, {characters / 1e6:F1} M chars, one thread, best of {rounds} (CPU time):");
Console.WriteLine($"- SearchRerank BertTokenizer.Tokenize: {oursCpu:F3} s, {texts.Count / oursCpu:N0} documents/CPU-s, {oursTokens:N0} tokens");
Console.WriteLine($"- ML.Tokenizers BertTokenizer.EncodeToIds: {mlCpu:F3} s, {texts.Count / mlCpu:N0} documents/CPU-s, {mlTokens:N0} tokens");
Console.WriteLine($"- ML.Tokenizers / SearchRerank CPU time: {mlCpu / oursCpu:F2}×");
