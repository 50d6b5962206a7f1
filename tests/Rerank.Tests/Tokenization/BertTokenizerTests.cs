// SearchRerank: edge cases of the BERT tokenizer beyond the shared reference records.
using SearchRerank.Rerank.Tokenization;

namespace SearchRerank.Rerank.Tests.Tokenization;

public sealed class BertTokenizerTests : IClassFixture<TokenizerFixture>
{
    private readonly BertTokenizer tokenizer;
    private readonly TokenizerFixture tokenizers;

    public BertTokenizerTests(TokenizerFixture tokenizers)
    {
        this.tokenizers = tokenizers;
        tokenizer = tokenizers.FromJson;
    }

    private string[] Tokens(string text) => tokenizer.Tokenize(text).Select(tokenizer.IdToToken).ToArray();

    [Fact]
    public void SpecialIdsAndSizeComeFromTheVocabulary()
    {
        Assert.Equal((101, 102, 0, 100), (tokenizer.ClsId, tokenizer.SepId, tokenizer.PadId, tokenizer.UnkId));
        Assert.Equal(30522, tokenizer.VocabularySize);
        Assert.Equal("[CLS]", tokenizer.IdToToken(101));
        Assert.Equal("##strom", tokenizer.IdToToken(tokenizer.Tokenize("Ångström")[^1]));
        Assert.Throws<ArgumentOutOfRangeException>(() => tokenizer.IdToToken(30522));
        Assert.Throws<ArgumentOutOfRangeException>(() => tokenizer.IdToToken(-1));
    }

    [Fact]
    public void BothLayoutsGiveTheSameFingerprint()
    {
        Assert.Equal(tokenizers.FromJson.Fingerprint, tokenizers.FromVocab.Fingerprint);
        Assert.Matches("^[0-9a-f]{16}$", tokenizer.Fingerprint);
    }

    [Fact]
    public void FromDirectoryPrefersTokenizerJsonAndFallsBackToVocabTxt()
    {
        using var dir = new TempDirectory();
        File.Copy(Path.Combine(SharedData.TinyModel, "vocab.txt"), dir.File("vocab.txt"));
        var fromVocabOnly = BertTokenizer.FromDirectory(dir.Path); // no tokenizer_config.json: BERT defaults (lowercase, strip accents)
        Assert.Equal(tokenizer.Fingerprint, fromVocabOnly.Fingerprint);
        Assert.Equal(tokenizer.Tokenize("Ångström CAFÉ"), fromVocabOnly.Tokenize("Ångström CAFÉ"));

        File.WriteAllText(dir.File("tokenizer_config.json"), """{"do_lower_case": false}""");
        var cased = BertTokenizer.FromDirectory(dir.Path);
        Assert.NotEqual(tokenizer.Fingerprint, cased.Fingerprint);
        Assert.NotEqual(tokenizer.Tokenize("CAFÉ"), cased.Tokenize("CAFÉ"));

        File.Copy(Path.Combine(SharedData.TinyModel, "tokenizer.json"), dir.File("tokenizer.json"));
        Assert.Equal(tokenizer.Fingerprint, BertTokenizer.FromDirectory(dir.Path).Fingerprint);
    }

    [Fact]
    public void CasedTokenizerKeepsCaseAndAccents()
    {
        using var dir = new TempDirectory();
        File.WriteAllLines(dir.File("vocab.txt"), ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "Café", "café", "cafe", "##s"]);
        File.WriteAllText(dir.File("tokenizer_config.json"), """{"do_lower_case": false, "strip_accents": false}""");
        var cased = BertTokenizer.FromDirectory(dir.Path);
        Assert.Equal([4, 5, 6, 4, 7], cased.Tokenize("Café café cafe Cafés"));

        File.WriteAllText(dir.File("tokenizer_config.json"), """{"do_lower_case": true, "strip_accents": false}""");
        Assert.Equal([5, 5, 6], BertTokenizer.FromDirectory(dir.Path).Tokenize("Café CAFÉ cafe"));
    }

    [Fact]
    public void AddedTokensAndNeverSplitFromTokenizerConfig()
    {
        using var dir = new TempDirectory();
        File.Copy(Path.Combine(SharedData.TinyModel, "vocab.txt"), dir.File("vocab.txt"));
        File.WriteAllText(dir.File("tokenizer_config.json"), """
            {"never_split": ["[unused0]"],
             "added_tokens_decoder": {"30522": {"content": "<Doc>", "normalized": false, "special": true},
                                      "30523": {"content": "<q>", "normalized": false, "special": false}}}
            """);
        var extended = BertTokenizer.FromDirectory(dir.Path);
        Assert.Equal(30524, extended.VocabularySize);
        Assert.Equal("<Doc>", extended.IdToToken(30522));
        Assert.Equal([1996, 30522, 4937, 30523, 1, 1031, 15171, 2692],
            extended.Tokenize("the<Doc>cat<q>[unused0] [unused0"));
        Assert.Equal([1026, 9986, 1028], extended.Tokenize("<doc>")); // added tokens match case-sensitively
        Assert.True(extended.IsSpecial(30522));
        Assert.False(extended.IsSpecial(30523));
        Assert.False(extended.IsSpecial(1));
        Assert.NotEqual(tokenizer.Fingerprint, extended.Fingerprint);
    }

    [Fact]
    public void AddedTokenContradictingTheVocabularyIsRejected()
    {
        using var dir = new TempDirectory();
        File.Copy(Path.Combine(SharedData.TinyModel, "vocab.txt"), dir.File("vocab.txt"));
        File.WriteAllText(dir.File("tokenizer_config.json"), """{"added_tokens_decoder": {"5": {"content": "[UNK]"}}}""");
        var error = Assert.Throws<SearchRerank.Core.DataFormatException>(() => BertTokenizer.FromDirectory(dir.Path));
        Assert.Contains("added token '[UNK]' has id 5 but the vocabulary gives it 100", error.Message);

        File.WriteAllText(dir.File("tokenizer_config.json"), """{"added_tokens_decoder": {"30522": {"content": "x", "normalized": true}}}""");
        error = Assert.Throws<SearchRerank.Core.DataFormatException>(() => BertTokenizer.FromDirectory(dir.Path));
        Assert.Contains("added_tokens_decoder.30522: added token 'x' with normalized: true is not supported", error.Message);
    }

    [Fact]
    public void EmptyAndBlankTextsGiveNoTokens()
    {
        Assert.Empty(tokenizer.Tokenize(""));
        Assert.Empty(tokenizer.Tokenize(" \t\n\u00a0\u200b\0"));
        var pair = tokenizer.EncodePair("", "", 32);
        Assert.Equal([101, 102, 102], pair.InputIds);
        Assert.Equal([0, 0, 1], pair.TokenTypeIds);
        Assert.False(pair.Truncated);
    }

    [Fact]
    public void WordsOverOneHundredCodePointsAreUnknown()
    {
        Assert.Equal(["[UNK]"], Tokens(new string('a', 101)));
        Assert.NotEqual(["[UNK]"], Tokens(new string('a', 100)));
        Assert.Equal(["[UNK]", "!"], Tokens(new string('b', 150) + "!"));
    }

    [Fact]
    public void TheWordLengthLimitCountsCodePointsNotUtf16Chars()
    {
        using var dir = new TempDirectory();
        File.WriteAllLines(dir.File("vocab.txt"), ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "\U0001F600", "##\U0001F600"]);
        var emoji = BertTokenizer.FromDirectory(dir.Path);
        // 100 supplementary characters are 200 UTF-16 chars but 100 code points: within the limit.
        Assert.Equal(new[] { 4 }.Concat(Enumerable.Repeat(5, 99)), emoji.Tokenize(string.Concat(Enumerable.Repeat("\U0001F600", 100))));
        Assert.Equal([1], emoji.Tokenize(string.Concat(Enumerable.Repeat("\U0001F600", 101))));
    }

    [Fact]
    public void AnUnmatchableWordIsOneUnknownEvenAfterMatchedPieces()
    {
        Assert.Equal(["hello", "[UNK]", "world"], Tokens("hello abc\u2603def world"));
        Assert.Equal(["[UNK]"], Tokens("\U0001F600\U0001F600"));
    }

    [Fact]
    public void SpecialTokensAreNeverSplitAndAreCaseSensitive()
    {
        Assert.Equal(["a", "[SEP]", "b", "[MASK]", "[MASK]"], Tokens("a[SEP]b[MASK][MASK]"));
        Assert.Equal(["[", "sep", "]"], Tokens("[sep]"));
        Assert.Equal(["[", "sep", "[SEP]"], Tokens("[sep[SEP]"));
    }

    [Fact]
    public void PunctuationIsSplitButSymbolsAreNot()
    {
        Assert.Equal(["a", "$", "b", "^", "c", "`", "d"], Tokens("a$b^c`d"));
        Assert.Equal(["°c"], Tokens("°C"));
        Assert.Equal(["5", "–", "6"], Tokens("5–6"));
    }

    [Fact]
    public void CjkIdeographsAreWordsOfTheirOwnIncludingSupplementaryPlanes()
    {
        Assert.Equal(["中", "文"], Tokens("中文"));
        Assert.Equal(["a", "[UNK]", "b"], Tokens("a\U00020000b"));
        // Hugging Face's ranges skip U+2B820–2B91F (the start of extension E): such a character stays inside the word.
        Assert.Equal(["[UNK]"], Tokens("a\U0002B820b"));
    }

    [Theory]
    [InlineData(10, 20, 32, 10, 19)]   // only the longer is cut: n2 = B − n1
    [InlineData(20, 10, 32, 19, 10)]
    [InlineData(20, 20, 32, 14, 15)]   // both cut: a tie gives the document the extra token
    [InlineData(15, 40, 32, 14, 15)]   // shorter beyond ⌊B/2⌋: both halved
    [InlineData(14, 40, 32, 14, 15)]   // shorter at ⌊B/2⌋: kept whole
    [InlineData(100, 0, 32, 29, 0)]
    [InlineData(0, 100, 32, 0, 29)]
    [InlineData(13, 16, 32, 13, 16)]   // exact fit: not truncated
    [InlineData(5, 5, 3, 0, 0)]        // no budget at all
    [InlineData(5, 5, 4, 0, 1)]
    public void LongestFirstTruncationFollowsHuggingFace(int queryLength, int documentLength, int maxLength, int keptQuery, int keptDocument)
    {
        var query = Enumerable.Range(1000, queryLength).ToArray();
        var document = Enumerable.Range(2000, documentLength).ToArray();
        var pair = tokenizer.EncodePair(query, document, maxLength);
        var expected = new[] { 101 }.Concat(query.Take(keptQuery)).Append(102).Concat(document.Take(keptDocument)).Append(102).ToArray();
        Assert.Equal(expected, pair.InputIds);
        Assert.Equal(Enumerable.Repeat(0, keptQuery + 2).Concat(Enumerable.Repeat(1, keptDocument + 1)), pair.TokenTypeIds);
        Assert.Equal(queryLength + documentLength > maxLength - 3, pair.Truncated);
        Assert.True(pair.InputIds.Length <= maxLength);
    }

    [Fact]
    public void MaxLengthBelowThreeIsRejected()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => tokenizer.EncodePair("a", "b", 2));
        Assert.Equal("maxLength", error.ParamName);
    }

    [Fact]
    public void StringAndIdOverloadsAgree()
    {
        const string query = "what causes COVID-19?";
        const string document = "SARS-CoV-2 causes coronavirus disease 2019 (COVID-19), first identified in Wuhan.";
        Assert.Equal(tokenizer.EncodePair(query, document, 16), tokenizer.EncodePair(tokenizer.Tokenize(query), tokenizer.Tokenize(document), 16),
            new PairEncodingComparer());
    }

    [Fact]
    public void RandomTextGivesTheSameIdsFromBothLayoutsAndStaysInTheVocabulary()
    {
        var random = new Random(20261122);
        char[] alphabet = "abcXYZ éÉüß中文\u0301\u0307.,;!-'$€ \t\n\0\u200b\U0001F600[SEP][MASK]#".ToCharArray();
        for (int n = 0; n < 500; n++)
        {
            var chars = new char[random.Next(0, 60)];
            for (int i = 0; i < chars.Length; i++)
                chars[i] = alphabet[random.Next(alphabet.Length)]; // may split surrogate pairs: lone surrogates must be cleaned, not crash
            string text = new(chars);
            var ids = tokenizers.FromJson.Tokenize(text);
            Assert.Equal(ids, tokenizers.FromVocab.Tokenize(text));
            Assert.All(ids, id => Assert.InRange(id, 0, tokenizer.VocabularySize - 1));
        }
    }

    [Fact]
    public void AsciiWordsRoundTripThroughTheirPieces()
    {
        var random = new Random(7);
        for (int n = 0; n < 300; n++)
        {
            var word = new string(Enumerable.Range(0, random.Next(1, 25)).Select(_ => (char)('a' + random.Next(26))).ToArray());
            var pieces = Tokens(word);
            if (pieces.Contains("[UNK]"))
                continue;
            Assert.Equal(word, string.Concat(pieces.Select((p, i) => i == 0 ? p : p[2..])));
            Assert.All(pieces.Skip(1), p => Assert.StartsWith("##", p));
        }
    }

    private sealed class PairEncodingComparer : IEqualityComparer<PairEncoding>
    {
        public bool Equals(PairEncoding? x, PairEncoding? y) =>
            x!.InputIds.SequenceEqual(y!.InputIds) && x.TokenTypeIds.SequenceEqual(y.TokenTypeIds) && x.Truncated == y.Truncated;

        public int GetHashCode(PairEncoding obj) => obj.InputIds.Length;
    }
}
