// SearchRerank: 1. pairs per second of each tokenizer family on SciFact (claim, cited abstract) pairs (train + test
// qrels), each pair encoded with its template and longest_first truncation at 512 tokens, one thread. The first pass is
// reported on its own (BPE's word cache starts empty), then the best of ROUNDS passes.
// 2. Microsoft.ML.Tokenizers' own loaders alone on the 300 single texts of the RoBERTa and T5 references (ids without
// the template's special tokens), to show which of its parts are exact and why HuggingFaceTokenizer uses only some.
// Usage: dotnet run -c Release --project bench/TokenizerFamilies [-- SHARED_DIR [ROUNDS]]
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.ML.Tokenizers;
using SearchRerank.Rerank.Tokenization.HuggingFace;
using BertTokenizer = SearchRerank.Rerank.Tokenization.BertTokenizer;

CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
string shared = args.Length > 0 ? args[0] : Path.Combine(AppContext.BaseDirectory, "../../../../../../shared");
int rounds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5;
string scifact = Path.Combine(shared, "data", "scifact");

var claims = File.ReadLines(Path.Combine(scifact, "queries.jsonl")).Select(l => JsonDocument.Parse(l).RootElement)
    .ToDictionary(r => r.GetProperty("_id").GetString()!, r => r.GetProperty("text").GetString()!);
var abstracts = File.ReadLines(Path.Combine(scifact, "corpus.jsonl")).Select(l => JsonDocument.Parse(l).RootElement)
    .ToDictionary(r => r.GetProperty("_id").GetString()!, r => (r.GetProperty("title").GetString() + " " + r.GetProperty("text").GetString()).Trim());
var pairs = new[] { "train.tsv", "test.tsv" }
    .SelectMany(f => File.ReadLines(Path.Combine(scifact, "qrels", f)).Skip(1))
    .Select(l => l.Split('\t'))
    .Where(c => claims.ContainsKey(c[0]) && abstracts.ContainsKey(c[1]))
    .Select(c => (Query: claims[c[0]], Passage: abstracts[c[1]]))
    .ToArray();

string tinyBert = Path.Combine(shared, "reference", "tiny-bert-ce");
var own = BertTokenizer.FromDirectory(tinyBert);
var candidates = new (string Name, Func<(string Query, string Passage), int> Encode)[]
{
    ("own BertTokenizer (WordPiece, tiny-bert-ce)", p => own.EncodePair(p.Query, p.Passage, 512).InputIds.Length),
    ("HuggingFaceTokenizer WordPiece (same tokenizer.json)", Pair(HuggingFaceTokenizer.FromDirectory(tinyBert))),
    ("HuggingFaceTokenizer byte-level BPE (roberta-base)", Pair(HuggingFaceTokenizer.FromDirectory(Path.Combine(shared, "reference", "tokenizers", "roberta-base")))),
    ("HuggingFaceTokenizer Unigram (t5-small)", Pair(HuggingFaceTokenizer.FromDirectory(Path.Combine(shared, "reference", "tokenizers", "t5-small")))),
};

Console.WriteLine($"{pairs.Length:N0} SciFact pairs, max_length 512, longest_first; {Environment.ProcessorCount} cores, "
                  + $"load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]} at start");
Console.WriteLine("| tokenizer | tokens per pair | first pass, pairs/s | best of " + rounds + ", pairs/s |");
Console.WriteLine("| --- | ---: | ---: | ---: |");
foreach (var (name, encode) in candidates)
{
    long tokens = 0;
    double first = 0, best = 0;
    for (int round = 0; round <= rounds; round++)
    {
        var clock = Stopwatch.StartNew();
        long count = 0;
        foreach (var pair in pairs)
            count += encode(pair);
        double rate = pairs.Length / clock.Elapsed.TotalSeconds;
        tokens = count;
        if (round == 0)
            first = rate;
        else
            best = Math.Max(best, rate);
    }
    Console.WriteLine($"| {name} | {(double)tokens / pairs.Length:F1} | {first:N0} | {best:N0} |");
}
Console.WriteLine($"load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]} at the end");

string roberta = Path.Combine(shared, "reference", "tokenizers", "roberta-base");
string t5 = Path.Combine(shared, "reference", "tokenizers", "t5-small");
var robertaSpecials = new Dictionary<string, int> { ["<s>"] = 0, ["<pad>"] = 1, ["</s>"] = 2, ["<unk>"] = 3, ["<mask>"] = 50264 };
Console.WriteLine();
Console.WriteLine("| Microsoft.ML.Tokenizers loader | single texts equal (ids without <s>/</s>) | records that differ, by category |");
Console.WriteLine("| --- | ---: | --- |");
Exactness("BpeTokenizer(vocab.json, merges.txt, ByteLevel, RobertaPreTokenizer, special tokens)", "roberta-base", 1, 1,
    () => BpeTokenizer.Create(new BpeOptions(Path.Combine(roberta, "vocab.json"), Path.Combine(roberta, "merges.txt"))
    {
        ByteLevel = true, PreTokenizer = RobertaPreTokenizer.Instance, SpecialTokens = robertaSpecials,
    }));
Exactness("CodeGenTokenizer(vocab.json, merges.txt)", "roberta-base", 1, 1,
    () => CodeGenTokenizer.Create(File.OpenRead(Path.Combine(roberta, "vocab.json")), File.OpenRead(Path.Combine(roberta, "merges.txt")), false, false, false));
Exactness("SentencePieceTokenizer.CreateFromTokenizerJson(t5-small tokenizer.json)", "t5-small", 0, 1,
    () => SentencePieceTokenizer.CreateFromTokenizerJson(File.OpenRead(Path.Combine(t5, "tokenizer.json")), false, false, null));

void Exactness(string name, string family, int dropFront, int dropBack, Func<Tokenizer> create)
{
    var tokenizer = create();
    int equal = 0, total = 0;
    var categories = new SortedDictionary<string, int>();
    foreach (string line in File.ReadLines(Path.Combine(shared, "reference", "tokenizers", family, "reference.jsonl")))
    {
        var record = JsonDocument.Parse(line).RootElement;
        if (record.GetProperty("kind").GetString() != "single")
            continue;
        total++;
        var expected = record.GetProperty("input_ids").EnumerateArray().Select(e => e.GetInt32()).ToArray()[dropFront..^dropBack];
        if (tokenizer.EncodeToIds(record.GetProperty("text").GetString()!).SequenceEqual(expected))
            equal++;
        else
            categories[record.GetProperty("category").GetString()!] = categories.GetValueOrDefault(record.GetProperty("category").GetString()!) + 1;
    }
    Console.WriteLine($"| {name} | {equal} / {total} | {string.Join(", ", categories.Select(c => $"{c.Key} {c.Value}"))} |");
}

static Func<(string Query, string Passage), int> Pair(HuggingFaceTokenizer tokenizer) =>
    p => tokenizer.EncodePair(p.Query, p.Passage, 512).InputIds.Length;
