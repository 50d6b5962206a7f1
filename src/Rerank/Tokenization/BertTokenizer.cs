// SearchRerank: BERT WordPiece tokenizer equal, token for token, to Hugging Face tokenizers.
using System.Security.Cryptography;
using System.Text;
using SearchRerank.Core;

namespace SearchRerank.Rerank.Tokenization;

/// <summary>
/// BERT tokenizer: added tokens cut out of the raw text → <see cref="BertNormalizer"/> → <see cref="BertPreTokenizer"/>
/// → <see cref="WordPieceTokenizer"/>; pairs are encoded as <c>[CLS] query [SEP] document [SEP]</c> with Hugging Face's
/// <c>longest_first</c> truncation. Ids equal those of Hugging Face tokenizers on the shared reference cases.
/// Immutable after loading and safe to use from many threads.
/// </summary>
public sealed class BertTokenizer
{
    private readonly Vocabulary vocabulary;
    private readonly AddedTokenSplitter addedTokens;
    private readonly BertNormalizer normalizer;
    private readonly WordPieceTokenizer wordPiece;
    private readonly HashSet<int> specialIds;

    private BertTokenizer(TokenizerDefinition definition)
    {
        vocabulary = new Vocabulary(definition.Vocabulary);
        UnkId = RequireId(definition, definition.UnknownToken, "unknown");
        ClsId = RequireId(definition, definition.ClsToken, "classification");
        SepId = RequireId(definition, definition.SepToken, "separator");
        PadId = RequireId(definition, definition.PadToken, "padding");
        addedTokens = new AddedTokenSplitter(definition.AddedTokens.Select(t => (t.Content, t.Id)));
        normalizer = new BertNormalizer(definition.CleanText, definition.HandleChineseChars, definition.StripAccents, definition.Lowercase);
        wordPiece = new WordPieceTokenizer(vocabulary, UnkId, definition.ContinuingSubwordPrefix, definition.MaxInputCharsPerWord);
        specialIds = definition.AddedTokens.Where(t => t.Special).Select(t => t.Id).ToHashSet();
        specialIds.UnionWith([UnkId, ClsId, SepId, PadId]);
        Fingerprint = ComputeFingerprint(definition, vocabulary);
    }

    /// <summary>
    /// Loads the tokenizer of a Hugging Face model directory: <c>tokenizer.json</c> when present, otherwise
    /// <c>vocab.txt</c> with <c>tokenizer_config.json</c> when present (defaults: lowercase, strip accents, split CJK).
    /// </summary>
    /// <exception cref="DataFormatException">A tokenizer file is unreadable or malformed; the message names file and line or field.</exception>
    public static BertTokenizer FromDirectory(string modelDirectory)
    {
        string json = Path.Combine(modelDirectory, "tokenizer.json");
        if (File.Exists(json))
            return FromTokenizerJson(json);
        string vocab = Path.Combine(modelDirectory, "vocab.txt");
        if (File.Exists(vocab))
        {
            string config = Path.Combine(modelDirectory, "tokenizer_config.json");
            return FromVocabulary(vocab, File.Exists(config) ? config : null);
        }
        throw new DataFormatException(modelDirectory, 0, "no tokenizer.json or vocab.txt in the model directory");
    }

    /// <summary>Loads a Hugging Face <c>tokenizer.json</c> (BertNormalizer, BertPreTokenizer, WordPiece).</summary>
    public static BertTokenizer FromTokenizerJson(string path) => new(TokenizerFiles.ReadTokenizerJson(path));

    /// <summary>Loads a <c>vocab.txt</c>, with the settings of a <c>tokenizer_config.json</c> when one is given.</summary>
    public static BertTokenizer FromVocabulary(string vocabPath, string? tokenizerConfigPath = null) =>
        new(TokenizerFiles.ReadVocabularyFiles(vocabPath, tokenizerConfigPath));

    /// <summary>One more than the largest token id (the size of the model's word embedding table).</summary>
    public int VocabularySize => vocabulary.Size;

    public int ClsId { get; }
    public int SepId { get; }
    public int PadId { get; }
    public int UnkId { get; }

    /// <summary>
    /// 16 hex digits identifying everything that decides the ids (vocabulary, added tokens, normalization settings):
    /// ids stored for one fingerprint are valid for exactly the tokenizers with that fingerprint.
    /// </summary>
    public string Fingerprint { get; }

    /// <summary>True for special tokens ([CLS], [SEP], [PAD], [UNK], [MASK] and other added tokens marked special).</summary>
    public bool IsSpecial(int id) => specialIds.Contains(id);

    public string IdToToken(int id) =>
        vocabulary.TokenOrNull(id) ?? throw new ArgumentOutOfRangeException(nameof(id), id, $"no token has id {id} (vocabulary size {VocabularySize})");

    /// <summary>WordPiece ids of <paramref name="text"/>, without [CLS]/[SEP] and without truncation.</summary>
    public int[] Tokenize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var ids = new List<int>(text.Length / 4 + 4);
        TokenizeInto(text, ids);
        return ids.ToArray();
    }

    /// <summary>Tokenizes both texts and encodes the pair within <paramref name="maxLength"/> ids.</summary>
    public PairEncoding EncodePair(string query, string document, int maxLength)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(document);
        return EncodePair(Tokenize(query), Tokenize(document), maxLength);
    }

    /// <summary>
    /// <c>[CLS] query [SEP] document [SEP]</c> from already tokenized segments (pre-tokenized documents, windows),
    /// truncated as Hugging Face's <c>longest_first</c> to at most <paramref name="maxLength"/> ids: with budget
    /// B = maxLength − 3, the shorter segment (the query on a tie) keeps n1 tokens and the longer n2, where
    /// n2 = max(n1, B − n1), and when both do not fit, n1 = ⌊B/2⌋ and n2 = n1 + B mod 2.
    /// </summary>
    public PairEncoding EncodePair(ReadOnlySpan<int> queryIds, ReadOnlySpan<int> documentIds, int maxLength)
    {
        if (maxLength < 3)
            throw new ArgumentOutOfRangeException(nameof(maxLength), maxLength, "a pair needs at least 3 positions for [CLS] and two [SEP]");
        int budget = maxLength - 3;
        int queryLength = queryIds.Length, documentLength = documentIds.Length;
        bool truncated = queryLength + documentLength > budget;
        if (truncated)
        {
            bool queryIsShorter = queryLength <= documentLength;
            int n1 = Math.Min(queryLength, documentLength);
            int n2 = n1 > budget ? n1 : Math.Max(n1, budget - n1);
            if (n1 + n2 > budget)
            {
                n1 = budget / 2;
                n2 = n1 + budget % 2;
            }
            queryLength = Math.Min(queryLength, queryIsShorter ? n1 : n2);
            documentLength = Math.Min(documentLength, queryIsShorter ? n2 : n1);
        }

        int length = queryLength + documentLength + 3;
        var ids = new int[length];
        var types = new int[length];
        ids[0] = ClsId;
        queryIds[..queryLength].CopyTo(ids.AsSpan(1));
        ids[queryLength + 1] = SepId;
        documentIds[..documentLength].CopyTo(ids.AsSpan(queryLength + 2));
        ids[length - 1] = SepId;
        types.AsSpan(queryLength + 2).Fill(1);
        return new PairEncoding(ids, types, truncated);
    }

    private void TokenizeInto(ReadOnlySpan<char> text, List<int> output)
    {
        int position = 0;
        while (position <= text.Length)
        {
            int at = addedTokens.FindNext(text, position, out int length, out int id);
            int segmentEnd = at < 0 ? text.Length : at;
            if (segmentEnd > position)
                TokenizeSegment(text[position..segmentEnd], output);
            if (at < 0)
                return;
            output.Add(id);
            position = at + length;
        }
    }

    private void TokenizeSegment(ReadOnlySpan<char> text, List<int> output)
    {
        var normalized = new CharBuffer(text.Length + 8);
        try
        {
            normalizer.Normalize(text, ref normalized);
            var span = normalized.Span;
            foreach (var (start, length) in new BertPreTokenizer(span))
                wordPiece.Tokenize(span.Slice(start, length), output);
        }
        finally
        {
            normalized.Dispose();
        }
    }

    private static int RequireId(TokenizerDefinition definition, string token, string role) =>
        definition.Vocabulary.TryGetValue(token, out int id)
            ? id
            : throw new DataFormatException(definition.Source, 0, $"the {role} token '{token}' is not in the vocabulary");

    private static string ComputeFingerprint(TokenizerDefinition definition, Vocabulary vocabulary)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Add(string line) => hash.AppendData(Encoding.UTF8.GetBytes(line + "\n"));
        // The Unicode tables' version is part of it: regenerated tables may change the ids of rare characters.
        Add($"bert-wordpiece/1 unicode={Unicode.CanonicalData.UnicodeVersion}");
        Add($"clean={definition.CleanText} chinese={definition.HandleChineseChars} strip={definition.StripAccents} " +
            $"lower={definition.Lowercase} unk={definition.UnknownToken} prefix={definition.ContinuingSubwordPrefix} " +
            $"max={definition.MaxInputCharsPerWord}");
        foreach (var token in definition.AddedTokens.OrderBy(t => t.Id))
            Add($"added {token.Id} {token.Content}");
        var tokens = vocabulary.Tokens;
        for (int id = 0; id < tokens.Count; id++)
            Add(tokens[id] ?? "");
        return Convert.ToHexStringLower(hash.GetHashAndReset())[..16];
    }
}
