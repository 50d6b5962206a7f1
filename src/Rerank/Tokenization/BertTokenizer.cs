// SearchRerank: BERT WordPiece tokenizer equal, token for token, to Hugging Face tokenizers.
using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using Microsoft.ML.Tokenizers;
using SearchRerank.Core;

namespace SearchRerank.Rerank.Tokenization;

/// <summary>
/// BERT tokenizer: added tokens cut out of the raw text → <see cref="BertNormalizer"/> → <see cref="BertPreTokenizer"/>
/// → <see cref="WordPieceTokenizer"/>; pairs are encoded as <c>[CLS] query [SEP] document [SEP]</c> with Hugging Face's
/// <c>longest_first</c> truncation. Ids equal those of Hugging Face tokenizers on the shared reference cases.
/// Immutable after loading and safe to use from many threads.
/// <para>
/// It is a <see cref="Tokenizer"/> of Microsoft.ML.Tokenizers, so ML.NET code can use it: the base class's
/// <c>EncodeToIds</c>, <c>EncodeToTokens</c>, <c>CountTokens</c> and <c>GetIndexByTokenCount</c> see the WordPiece tokens of
/// one text without [CLS]/[SEP] (the ids of <see cref="Tokenize"/>), with offsets into the text as given (the normalized
/// text is never returned: <c>normalizedText</c> is null; pieces of one source character, such as the jamo of a Hangul
/// syllable, share its range), and a token limit never splits a word between its pieces.
/// <c>considerNormalization: false</c> skips <see cref="BertNormalizer"/> (no lowercasing, accents kept);
/// <c>considerPreTokenization: false</c> makes each stretch between added tokens one word. <see cref="Decode(IEnumerable{int})"/>
/// joins tokens with spaces and glues "##" pieces to the previous token, as Hugging Face's WordPiece decoder without its
/// clean-up of spaces.
/// </para>
/// </summary>
internal sealed class BertTokenizer : Tokenizer
{
    private readonly Vocabulary vocabulary;
    private readonly AddedTokenSplitter addedTokens;
    private readonly BertNormalizer normalizer;
    private readonly WordPieceTokenizer wordPiece;
    private readonly HashSet<int> specialIds;
    private readonly string continuingSubwordPrefix;

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
        continuingSubwordPrefix = definition.ContinuingSubwordPrefix;
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

    /// <summary>The WordPiece tokens of a text with their vocabulary strings and offsets into the text (see the class summary).</summary>
    protected override EncodeResults<EncodedToken> EncodeToTokens(string? text, ReadOnlySpan<char> textSpan, EncodeSettings settings)
    {
        var input = text is null ? textSpan : text.AsSpan();
        var sink = EncodeWithOffsets(input, settings, settings.MaxTokenCount);
        var tokens = new EncodedToken[sink.Ids.Count];
        for (int i = 0; i < tokens.Length; i++)
        {
            var (start, end) = sink.Offsets![i];
            tokens[i] = new EncodedToken(sink.Ids[i], IdToToken(sink.Ids[i]), start..end);
        }
        return new EncodeResults<EncodedToken> { Tokens = tokens, NormalizedText = null, CharsConsumed = CharsConsumed(sink, input.Length) };
    }

    /// <summary>The ids of <see cref="EncodeToTokens(string?, ReadOnlySpan{char}, EncodeSettings)"/>; offsets are only computed under a token limit.</summary>
    protected override EncodeResults<int> EncodeToIds(string? text, ReadOnlySpan<char> textSpan, EncodeSettings settings)
    {
        var input = text is null ? textSpan : text.AsSpan();
        if (settings.MaxTokenCount == int.MaxValue)
        {
            var ids = new List<int>(input.Length / 4 + 4);
            Encode(input, settings.ConsiderNormalization, settings.ConsiderPreTokenization, new TokenSink(ids));
            return new EncodeResults<int> { Tokens = ids, NormalizedText = null, CharsConsumed = input.Length };
        }

        var sink = EncodeWithOffsets(input, settings, settings.MaxTokenCount);
        return new EncodeResults<int> { Tokens = sink.Ids, NormalizedText = null, CharsConsumed = CharsConsumed(sink, input.Length) };
    }

    protected override int CountTokens(string? text, ReadOnlySpan<char> textSpan, EncodeSettings settings) =>
        EncodeToIds(text, textSpan, settings).Tokens.Count;

    /// <summary>
    /// The end of the longest prefix of whole words within <see cref="EncodeSettings.MaxTokenCount"/> tokens (the text's
    /// length when all fit, 0 when none does), or with <paramref name="fromEnd"/> the start of the longest such suffix
    /// (0 when all fit, the text's length when none does). Offsets are into the text as given.
    /// </summary>
    protected override int GetIndexByTokenCount(string? text, ReadOnlySpan<char> textSpan, EncodeSettings settings, bool fromEnd,
        out string? normalizedText, out int tokenCount)
    {
        var input = text is null ? textSpan : text.AsSpan();
        normalizedText = null;
        if (!fromEnd)
        {
            var prefix = EncodeWithOffsets(input, settings, settings.MaxTokenCount);
            tokenCount = prefix.Ids.Count;
            return CharsConsumed(prefix, input.Length);
        }

        var all = EncodeWithOffsets(input, settings, int.MaxValue);
        int word = all.WordStarts.Count;
        while (word > 0 && all.Ids.Count - all.WordStarts[word - 1] <= settings.MaxTokenCount)
            word--;
        if (word == all.WordStarts.Count)
        {
            tokenCount = 0;
            return input.Length;
        }

        int first = all.WordStarts[word];
        tokenCount = all.Ids.Count - first;
        return word == 0 ? 0 : all.Offsets![first].Start;
    }

    /// <summary>Joins the tokens of <paramref name="ids"/>, special tokens included (see the class summary).</summary>
    /// <exception cref="ArgumentOutOfRangeException">An id has no token.</exception>
    public override string Decode(IEnumerable<int> ids) => Decode(ids, skipSpecialTokens: false);

    /// <summary>Joins the tokens of <paramref name="ids"/>, leaving out special tokens when <paramref name="skipSpecialTokens"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An id has no token.</exception>
    public string Decode(IEnumerable<int> ids, bool skipSpecialTokens)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var text = new StringBuilder();
        foreach (int id in ids)
        {
            if (skipSpecialTokens && IsSpecial(id))
                continue;
            var (separator, piece) = DecodedPiece(id, first: text.Length == 0);
            text.Append(separator).Append(piece.Span);
        }
        return text.ToString();
    }

    /// <summary>
    /// Writes the decoded text (special tokens included) into <paramref name="destination"/>, whole tokens only;
    /// <see cref="OperationStatus.DestinationTooSmall"/> when not all of them fit.
    /// </summary>
    public override OperationStatus Decode(IEnumerable<int> ids, Span<char> destination, out int idsConsumed, out int charsWritten)
    {
        ArgumentNullException.ThrowIfNull(ids);
        idsConsumed = 0;
        charsWritten = 0;
        foreach (int id in ids)
        {
            var (separator, piece) = DecodedPiece(id, first: charsWritten == 0);
            if (charsWritten + separator.Length + piece.Length > destination.Length)
                return OperationStatus.DestinationTooSmall;
            separator.CopyTo(destination[charsWritten..]);
            piece.Span.CopyTo(destination[(charsWritten + separator.Length)..]);
            charsWritten += separator.Length + piece.Length;
            idsConsumed++;
        }
        return OperationStatus.Done;
    }

    /// <summary>A token as decoded text: a continuation piece ("##ing") glued to what precedes it, any other token after a space.</summary>
    private (string Separator, ReadOnlyMemory<char> Piece) DecodedPiece(int id, bool first)
    {
        string token = IdToToken(id);
        if (first)
            return ("", token.AsMemory());
        return !IsSpecial(id) && continuingSubwordPrefix.Length > 0 && token.StartsWith(continuingSubwordPrefix, StringComparison.Ordinal)
            ? ("", token.AsMemory(continuingSubwordPrefix.Length))
            : (" ", token.AsMemory());
    }

    private TokenSink EncodeWithOffsets(ReadOnlySpan<char> text, EncodeSettings settings, int limit)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1, nameof(settings.MaxTokenCount));
        var sink = new TokenSink(new List<int>(text.Length / 4 + 4), withOffsets: true, limit);
        Encode(text, settings.ConsiderNormalization, settings.ConsiderPreTokenization, sink);
        return sink;
    }

    /// <summary>Chars of the text covered by the tokens kept: all of it, unless the limit left words out.</summary>
    private static int CharsConsumed(TokenSink sink, int textLength) =>
        !sink.Full ? textLength : sink.Offsets!.Count == 0 ? 0 : sink.Offsets.Max(o => o.End);

    private void TokenizeInto(ReadOnlySpan<char> text, List<int> output) =>
        Encode(text, normalize: true, preTokenize: true, new TokenSink(output));

    /// <summary>
    /// The tokens of <paramref name="text"/>: added tokens, and between them the WordPiece pieces of each word, into
    /// <paramref name="sink"/> until it is full.
    /// </summary>
    private void Encode(ReadOnlySpan<char> text, bool normalize, bool preTokenize, TokenSink sink)
    {
        int position = 0;
        while (position <= text.Length && !sink.Full)
        {
            int at = addedTokens.FindNext(text, position, out int length, out int id);
            int segmentEnd = at < 0 ? text.Length : at;
            if (segmentEnd > position)
                EncodeSegment(text, position, segmentEnd, normalize, preTokenize, sink);
            if (at < 0 || sink.Full)
                return;
            sink.AddWord([id], [(at, at + length)]);
            position = at + length;
        }
    }

    private void EncodeSegment(ReadOnlySpan<char> text, int start, int end, bool normalize, bool preTokenize, TokenSink sink)
    {
        var segment = text[start..end];
        var buffer = new CharBuffer(segment.Length + 8, trackOrigins: sink.Offsets is not null);
        try
        {
            if (normalize)
            {
                normalizer.Normalize(segment, ref buffer);
            }
            else
            {
                for (int i = 0; i < segment.Length; i++)
                {
                    buffer.Origin = i;
                    buffer.Append(segment[i]);
                }
            }

            var span = buffer.Span;
            if (!preTokenize)
            {
                if (span.Length > 0)
                    EncodeWord(segment, start, span, buffer.Origins, 0, span.Length, sink);
                return;
            }

            foreach (var (wordStart, length) in new BertPreTokenizer(span))
            {
                EncodeWord(segment, start, span, buffer.Origins, wordStart, length, sink);
                if (sink.Full)
                    return;
            }
        }
        finally
        {
            buffer.Dispose();
        }
    }

    /// <summary>One word's pieces; with offsets, each piece's range in the original text, from the chars' origins.</summary>
    private void EncodeWord(ReadOnlySpan<char> segment, int segmentStart, ReadOnlySpan<char> normalized, ReadOnlySpan<int> origins,
        int wordStart, int length, TokenSink sink)
    {
        var word = normalized.Slice(wordStart, length);
        if (sink.Offsets is null)
        {
            sink.AddWord(word, wordPiece);
            return;
        }

        var pieces = sink.Pieces;
        pieces.Clear();
        var ids = new List<int>(4);
        wordPiece.Tokenize(word, ids, pieces);
        var ranges = new (int Start, int End)[pieces.Count];
        for (int p = 0; p < pieces.Count; p++)
        {
            // Origins ascend except inside a reordered run of combining marks: take the extremes.
            int from = int.MaxValue, to = 0;
            for (int c = wordStart + pieces[p].Start; c < wordStart + pieces[p].End; c++)
            {
                int origin = origins[c];
                int width = char.IsHighSurrogate(segment[origin]) && origin + 1 < segment.Length && char.IsLowSurrogate(segment[origin + 1]) ? 2 : 1;
                from = Math.Min(from, origin);
                to = Math.Max(to, origin + width);
            }
            ranges[p] = (segmentStart + from, segmentStart + to);
        }
        sink.AddWord(ids, ranges);
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
