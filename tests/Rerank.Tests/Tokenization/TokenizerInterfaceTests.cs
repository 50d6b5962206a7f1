// SearchRerank: the BERT tokenizer seen as a Microsoft.ML.Tokenizers Tokenizer (offsets, limits, decoding, settings).
using System.Buffers;
using Microsoft.ML.Tokenizers;

namespace SearchRerank.Rerank.Tests.Tokenization;

public sealed class TokenizerInterfaceTests(TokenizerFixture tokenizers) : IClassFixture<TokenizerFixture>
{
    private readonly Tokenizer tokenizer = tokenizers.FromJson;

    private string Covered(string text, EncodedToken token) => text[token.Offset];

    [Fact]
    public void OffsetsPointIntoTheOriginalTextThroughNormalization()
    {
        const string text = "Ångström, CAFÉ [SEP] cafe\u0301 𠀀x";
        var tokens = tokenizer.EncodeToTokens(text, out _);
        Assert.Equal(["ang", "##strom", ",", "cafe", "[SEP]", "cafe", "[UNK]", "x"], tokens.Select(t => t.Value));
        // Accents stripped and case folded, yet each token covers the characters it came from; the added token is exact;
        // a combining accent the normalizer dropped after the last letter stays outside; the unknown ideograph is a
        // word of its own, two UTF-16 units.
        Assert.Equal(["Ång", "ström", ",", "CAFÉ", "[SEP]", "cafe", "\U00020000", "x"], tokens.Select(t => Covered(text, t)));
        Assert.Equal(Enumerable.Range(0, tokens.Count).Select(i => tokenizers.FromJson.Tokenize(text)[i]), tokens.Select(t => t.Id));
    }

    [Fact]
    public void TokenLimitKeepsWholeWordsAndReportsTheCharsCovered()
    {
        const string text = "Ångström is a unit";  // ang ##strom | is | a | unit
        Assert.Empty(tokenizer.EncodeToIds(text, 1, out _, out int none));
        Assert.Equal(0, none);
        Assert.Equal(2, tokenizer.EncodeToIds(text, 2, out _, out int first).Count);
        Assert.Equal("Ångström".Length, first);
        Assert.Equal(3, tokenizer.EncodeToIds(text, 3, out _, out int second).Count);
        Assert.Equal("Ångström is".Length, second);
        Assert.Equal(5, tokenizer.EncodeToIds(text, 100, out string? normalized, out int all).Count);
        Assert.Equal(text.Length, all);
        Assert.Null(normalized);

        Assert.Equal("Ångström is a".Length, tokenizer.GetIndexByTokenCount(text, 4, out _, out int count));
        Assert.Equal(4, count);
        Assert.Equal("Ångström ".Length, tokenizer.GetIndexByTokenCountFromEnd(text, 4, out _, out int tail));
        Assert.Equal(3, tail); // "is a unit": the two pieces of Ångström would make 5
        Assert.Equal(0, tokenizer.GetIndexByTokenCountFromEnd(text, 5, out _, out int whole));
        Assert.Equal(5, whole);
        Assert.Equal("Ångström".Length, tokenizer.GetIndexByTokenCountFromEnd("Ångström", 1, out _, out int nothing));
        Assert.Equal(0, nothing);
        Assert.Throws<ArgumentOutOfRangeException>(() => tokenizer.GetIndexByTokenCount(text, 0, out _, out _));
    }

    [Fact]
    public void DecodeGluesPiecesAndKeepsOrSkipsSpecialTokens()
    {
        var bert = tokenizers.FromJson;
        var pair = bert.EncodePair("Ångström units", "a cafe", 32).InputIds;
        Assert.Equal("[CLS] angstrom units [SEP] a cafe [SEP]", tokenizer.Decode(pair));
        Assert.Equal("angstrom units a cafe", bert.Decode(pair, skipSpecialTokens: true));
        Assert.Equal("", tokenizer.Decode([]));
        Assert.Throws<ArgumentOutOfRangeException>(() => tokenizer.Decode([30522]));

        Span<char> small = stackalloc char[12];
        Assert.Equal(OperationStatus.DestinationTooSmall, tokenizer.Decode(pair, small, out int used, out int written));
        Assert.Equal("[CLS] ang", small[..written].ToString()); // whole tokens only: "strom" would need 14 chars
        Assert.Equal(2, used);
        Span<char> large = stackalloc char[64];
        Assert.Equal(OperationStatus.Done, tokenizer.Decode(pair, large, out used, out written));
        Assert.Equal(tokenizer.Decode(pair), large[..written].ToString());
        Assert.Equal(pair.Length, used);
    }

    [Fact]
    public void NormalizationAndPreTokenizationCanBeTurnedOff()
    {
        var bert = tokenizers.FromJson;
        Assert.Equal(bert.Tokenize("hello world"), tokenizer.EncodeToIds("HELLO world"));
        var raw = tokenizer.EncodeToIds("HELLO world", considerNormalization: false);
        Assert.NotEqual(tokenizer.EncodeToIds("HELLO world"), raw);
        Assert.Equal(bert.Tokenize("world"), raw.Skip(raw.Count - 1));
        // Without the pre-tokenizer the text is one word, and "hello world" has no WordPiece split: one [UNK].
        Assert.Equal([bert.UnkId], tokenizer.EncodeToIds("hello world", considerPreTokenization: false));
        Assert.Equal([bert.SepId, bert.UnkId], tokenizer.EncodeToIds("[SEP]hello world", considerPreTokenization: false));
    }

    [Fact]
    public void SpansAndStringsEncodeAlike()
    {
        const string text = "Protein folding in yeast, p<0.05.";
        Assert.Equal(tokenizer.EncodeToIds(text), tokenizer.EncodeToIds(text.AsSpan()));
        Assert.Equal(tokenizer.EncodeToTokens(text, out _), tokenizer.EncodeToTokens(text.AsSpan(), out _));
        Assert.Equal(tokenizer.CountTokens(text), tokenizer.CountTokens(text.AsSpan()));
        Assert.Empty(tokenizer.EncodeToTokens("", out _));
        Assert.Equal(0, tokenizer.CountTokens("   "));
    }
}
