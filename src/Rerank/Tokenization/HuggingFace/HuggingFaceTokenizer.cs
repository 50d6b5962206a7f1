// SearchRerank: a Hugging Face fast tokenizer (tokenizer.json) of any of the three families, equal to Hugging Face.
using System.Buffers;
using Microsoft.ML.Tokenizers;
using SearchRerank.Core;
using SearchRerank.Rerank.Tokenization;

namespace SearchRerank.Rerank.Tokenization.HuggingFace;

/// <summary>
/// The tokenizer of a Hugging Face model folder, giving the ids Hugging Face tokenizers (and so Python
/// <c>AutoTokenizer</c>) give: <c>tokenizer.json</c> with a WordPiece, BPE or Unigram model, or a BERT
/// <c>vocab.txt</c>. The pipeline is Hugging Face's:
/// <list type="number">
/// <item>added tokens with <c>normalized: false</c> are cut out of the raw text (<see cref="AddedVocabulary"/>);</item>
/// <item>each stretch between them is normalized (Precompiled, Lowercase, Replace, Strip, Prepend, Sequence), then the
/// added tokens with <c>normalized: true</c> are cut out of it;</item>
/// <item>the pre-tokenizer (ByteLevel, Metaspace, WhitespaceSplit, Whitespace, Sequence) splits the rest into words;</item>
/// <item>the model (BPE through Microsoft.ML.Tokenizers, Unigram) turns each word into ids;</item>
/// <item>pairs are truncated (<see cref="TruncationStrategy"/>) and the post-processor's template adds special tokens.</item>
/// </list>
/// WordPiece models (BertNormalizer, BertPreTokenizer) run on the own <see cref="BertTokenizer"/>, whose ids equal
/// Hugging Face's on the shared references; only the template and truncation are taken from here.
/// The <c>truncation</c> and <c>padding</c> sections of tokenizer.json are ignored, as Python <c>transformers</c> does
/// for a call without padding whose truncation is given.
/// <para>
/// As a <see cref="Tokenizer"/> of Microsoft.ML.Tokenizers, <c>EncodeToIds</c>/<c>EncodeToTokens</c> see the tokens of one
/// text without special tokens; each token's offsets are the range of the text between added tokens it came from
/// (normalization is not aligned back character by character), and <c>normalizedText</c> is null.
/// </para>
/// Immutable after loading and safe to use from many threads.
/// </summary>
internal sealed class HuggingFaceTokenizer : Tokenizer
{
    private readonly BertTokenizer? wordPiece;
    private readonly INormalizer? normalizer;
    private readonly IPreTokenizer? preTokenizer;
    private readonly ITokenModel? model;
    private readonly AddedVocabulary added;
    private readonly TemplateProcessor template;
    private readonly string?[] tokens;
    private readonly HashSet<int> specialIds;
    /// <summary>Ids decoded as their content rather than through the model: added tokens and the template's.</summary>
    private readonly HashSet<int> addedIds;
    private readonly MetaspacePreTokenizer? metaspaceDecoder;

    internal HuggingFaceTokenizer(string source, string family, BertTokenizer? wordPiece, INormalizer? normalizer,
        IPreTokenizer? preTokenizer, ITokenModel? model, AddedVocabulary added, TemplateProcessor template, string?[] tokens,
        MetaspacePreTokenizer? metaspaceDecoder, string fingerprint, int padId)
    {
        PadId = padId;
        Source = source;
        Family = family;
        this.wordPiece = wordPiece;
        this.normalizer = normalizer;
        this.preTokenizer = preTokenizer;
        this.model = model;
        this.added = added;
        this.template = template;
        this.tokens = tokens;
        this.metaspaceDecoder = metaspaceDecoder;
        Fingerprint = fingerprint;
        addedIds = added.Tokens.Select(t => t.Id).Concat(template.SpecialIds).ToHashSet();
        specialIds = added.Tokens.Where(t => t.Special).Select(t => t.Id).Concat(template.SpecialIds).ToHashSet();
    }

    /// <summary>
    /// Loads a model folder's tokenizer: <c>tokenizer.json</c> when present, otherwise a BERT <c>vocab.txt</c> (with
    /// <c>tokenizer_config.json</c> when present) and the <c>[CLS] A [SEP] B [SEP]</c> template.
    /// </summary>
    /// <exception cref="DataFormatException">No tokenizer file, or one that is malformed or uses a component this
    /// reader does not implement; the message names the file and the field.</exception>
    public static HuggingFaceTokenizer FromDirectory(string modelDirectory)
    {
        string json = Path.Combine(modelDirectory, "tokenizer.json");
        if (File.Exists(json))
            return TokenizerJsonReader.Read(json);
        string vocab = Path.Combine(modelDirectory, "vocab.txt");
        if (File.Exists(vocab))
            return TokenizerJsonReader.FromBertVocabulary(BertTokenizer.FromDirectory(modelDirectory), vocab);
        throw new DataFormatException(modelDirectory, 0, "no tokenizer.json or vocab.txt in the model directory");
    }

    /// <summary>Loads a Hugging Face <c>tokenizer.json</c>.</summary>
    public static HuggingFaceTokenizer FromTokenizerJson(string path) => TokenizerJsonReader.Read(path);

    /// <summary>The file(s) it was loaded from.</summary>
    public string Source { get; }

    /// <summary>The tokenizer family: <c>WordPiece</c>, <c>BPE (byte-level)</c>, <c>BPE</c> or <c>Unigram</c>.</summary>
    public string Family { get; }

    /// <summary>The normalizer, pre-tokenizer and model, in tokenizer.json's names, e.g. <c>Precompiled | Sequence[WhitespaceSplit, Metaspace(…)] | Unigram</c>.</summary>
    public string Pipeline => wordPiece is not null
        ? "BertNormalizer | BertPreTokenizer | WordPiece"
        : $"{normalizer?.ToString() ?? "no normalizer"} | {preTokenizer?.ToString() ?? "no pre-tokenizer"} | {model}";

    /// <summary>The post-processor's type and single and pair templates.</summary>
    public string PostProcessor => template.Type;

    public string SingleTemplate => template.Describe(isPair: false);

    public string PairTemplate => template.Describe(isPair: true);

    /// <summary>
    /// True when the pair template gives the second segment type id 1, so the model reads <c>token_type_ids</c>
    /// (BERT, DeBERTa-v3); RoBERTa, XLM-R and T5 templates give every token type 0.
    /// </summary>
    public bool UsesTokenTypeIds => template.UsesTypeIds;

    /// <summary>One more than the largest token id, added tokens included.</summary>
    public int VocabularySize => tokens.Length;

    /// <summary>16 hex digits of the SHA-256 of the tokenizer file(s): equal fingerprints give equal ids.</summary>
    public string Fingerprint { get; }

    /// <summary>The id that pads a batch (tokenizer.json's padding, else its &lt;pad&gt;/[PAD] token, else 0).</summary>
    public int PadId { get; }

    /// <summary>True for special tokens: added tokens marked special and the template's; for WordPiece, [UNK]/[PAD]/[MASK] too.</summary>
    public bool IsSpecial(int id) => wordPiece?.IsSpecial(id) ?? specialIds.Contains(id);

    /// <summary>Special tokens the template adds to one text or to a pair (what truncation leaves room for).</summary>
    public int SpecialTokenCount(bool pair) => template.AddedTokens(pair);

    public string? IdToToken(int id) => (uint)id < (uint)tokens.Length ? tokens[id] : null;

    /// <summary>The ids of <paramref name="text"/> without special tokens of the template and without truncation.</summary>
    public int[] Tokenize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (wordPiece is not null)
            return wordPiece.Tokenize(text);
        var ids = new List<int>(text.Length / 3 + 4);
        Encode(text, ids, null);
        return ids.ToArray();
    }

    /// <summary>
    /// One text with the single template's special tokens, truncated to <paramref name="maxLength"/> ids when given, as
    /// Hugging Face's <c>tok(text, truncation=strategy, max_length=maxLength)</c>.
    /// </summary>
    /// <exception cref="TruncationException"><see cref="TruncationStrategy.OnlySecond"/> on one text that is too long (there is no second one).</exception>
    public PairEncoding Encode(string text, int? maxLength = null, TruncationStrategy strategy = TruncationStrategy.LongestFirst)
    {
        var content = Tokenize(text);
        int length = content.Length;
        if (maxLength is { } max)
        {
            int budget = max - template.AddedTokens(isPair: false);
            if (budget < 0)
                throw new ArgumentOutOfRangeException(nameof(maxLength), max,
                    $"max_length {max} is less than the {template.AddedTokens(isPair: false)} special tokens of the single template");
            if (length > budget && strategy == TruncationStrategy.OnlySecond)
                throw new TruncationException(PairTruncation.SecondMissingMessage);
            length = Math.Min(length, budget);
        }
        var (ids, types) = template.Apply(content.AsSpan(0, length), default, isPair: false);
        return new PairEncoding(ids, types, Truncated: length < content.Length);
    }

    /// <summary>
    /// A (query, passage) pair with the pair template, truncated to <paramref name="maxLength"/> ids (null: not truncated)
    /// as Hugging Face's <c>tok([query], [passage], truncation=strategy, max_length=maxLength)</c>.
    /// </summary>
    /// <exception cref="TruncationException">The strategy cannot fit the pair (Hugging Face raises there too).</exception>
    public PairEncoding EncodePair(string query, string passage, int? maxLength = null, TruncationStrategy strategy = TruncationStrategy.LongestFirst)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(passage);
        return EncodePair(Tokenize(query), Tokenize(passage), maxLength, strategy);
    }

    /// <summary>The pair of already tokenized segments (<see cref="Tokenize"/>), truncated and put in the template.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxLength"/> leaves no room for the template's special tokens.</exception>
    /// <exception cref="TruncationException">The strategy cannot fit the pair.</exception>
    public PairEncoding EncodePair(ReadOnlySpan<int> query, ReadOnlySpan<int> passage, int? maxLength,
        TruncationStrategy strategy = TruncationStrategy.LongestFirst)
    {
        int first = query.Length, second = passage.Length;
        bool truncated = false;
        if (maxLength is { } max)
        {
            int budget = max - template.AddedTokens(isPair: true);
            if (budget < 0)
                throw new ArgumentOutOfRangeException(nameof(maxLength), max,
                    $"max_length {max} is less than the {template.AddedTokens(isPair: true)} special tokens of the pair template");
            truncated = first + second > budget;
            (first, second) = PairTruncation.Lengths(first, second, budget, strategy);
        }
        var (ids, types) = template.Apply(query[..first], passage[..second], isPair: true);
        return new PairEncoding(ids, types, truncated);
    }

    /// <summary>The tokens of one text without the template's special tokens (see the class summary for offsets).</summary>
    protected override EncodeResults<EncodedToken> EncodeToTokens(string? text, ReadOnlySpan<char> textSpan, EncodeSettings settings)
    {
        string input = text ?? textSpan.ToString();
        var ids = new List<int>();
        var ranges = new List<Range>();
        if (wordPiece is not null)
        {
            var pieces = wordPiece.EncodeToTokens(input, out _, settings.ConsiderPreTokenization, settings.ConsiderNormalization);
            ids.AddRange(pieces.Select(p => p.Id));
            ranges.AddRange(pieces.Select(p => p.Offset));
        }
        else
        {
            Encode(input, ids, ranges);
        }
        int kept = Math.Min(ids.Count, settings.MaxTokenCount);
        var result = new EncodedToken[kept];
        for (int i = 0; i < kept; i++)
            result[i] = new EncodedToken(ids[i], IdToToken(ids[i]) ?? "", ranges[i]);
        int consumed = kept == ids.Count ? input.Length : kept == 0 ? 0 : ranges[kept - 1].End.GetOffset(input.Length);
        return new EncodeResults<EncodedToken> { Tokens = result, NormalizedText = null, CharsConsumed = consumed };
    }

    /// <summary>The text of <paramref name="ids"/>: added tokens as their content, model tokens through the decoder
    /// (byte-level bytes back to UTF-8; Metaspace's ▁ back to spaces, the prepended one dropped).</summary>
    public override string Decode(IEnumerable<int> ids) => Decode(ids, skipSpecialTokens: false);

    public string Decode(IEnumerable<int> ids, bool skipSpecialTokens)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var list = ids.ToList();
        if (wordPiece is not null)
            return wordPiece.Decode(list, skipSpecialTokens);
        var text = new System.Text.StringBuilder();
        var run = new List<int>();
        foreach (int id in list.Append(-1))
        {
            bool isAdded = id < 0 || addedIds.Contains(id);
            if (!isAdded)
            {
                run.Add(id);
                continue;
            }
            if (run.Count > 0)
                text.Append(model!.Decode(run));
            run.Clear();
            if (id >= 0 && !(skipSpecialTokens && IsSpecial(id)))
                text.Append(IdToToken(id));
        }
        string decoded = text.ToString();
        if (metaspaceDecoder is { } metaspace)
        {
            decoded = decoded.Replace(metaspace.Replacement, ' ');
            if (metaspace.PrependScheme != PrependScheme.Never && decoded.StartsWith(' '))
                decoded = decoded[1..];
        }
        return decoded;
    }

    /// <summary>Writes <see cref="Decode(IEnumerable{int})"/> into <paramref name="destination"/> when it all fits;
    /// otherwise nothing is written and the status is <see cref="OperationStatus.DestinationTooSmall"/>.</summary>
    public override OperationStatus Decode(IEnumerable<int> ids, Span<char> destination, out int idsConsumed, out int charsWritten)
    {
        var list = ids.ToList();
        string text = Decode(list);
        if (text.Length > destination.Length)
        {
            idsConsumed = charsWritten = 0;
            return OperationStatus.DestinationTooSmall;
        }
        text.CopyTo(destination);
        idsConsumed = list.Count;
        charsWritten = text.Length;
        return OperationStatus.Done;
    }

    /// <summary>Steps 1–4 of the class summary for one text; <paramref name="ranges"/>, when given, gets each token's range.</summary>
    private void Encode(string text, List<int> ids, List<Range>? ranges)
    {
        var rawPieces = new List<(int Id, int Start, int End)>();
        var normalizedPieces = new List<(int Id, int Start, int End)>();
        var words = new List<PreToken>();
        added.Split(text, normalizedPass: false, rawPieces);
        foreach (var (rawId, rawStart, rawEnd) in rawPieces)
        {
            int before = ids.Count;
            if (rawId >= 0)
            {
                ids.Add(rawId);
            }
            else if (rawEnd > rawStart)
            {
                string segment = text[rawStart..rawEnd];
                string normalized = normalizer?.Normalize(segment) ?? segment;
                normalizedPieces.Clear();
                added.Split(normalized, normalizedPass: true, normalizedPieces);
                foreach (var (id, start, end) in normalizedPieces)
                {
                    if (id >= 0)
                    {
                        ids.Add(id);
                        continue;
                    }
                    if (end == start)
                        continue;
                    var piece = new PreToken(normalized[start..end], rawStart == 0 && start == 0);
                    words.Clear();
                    if (preTokenizer is null)
                        words.Add(piece);
                    else
                        preTokenizer.Split(piece, words);
                    foreach (var word in words)
                    {
                        if (word.Text.Length > 0)
                            model!.Encode(word.Text, ids);
                    }
                }
            }
            for (int i = before; ranges is not null && i < ids.Count; i++)
                ranges.Add(rawStart..rawEnd);
        }
    }
}
