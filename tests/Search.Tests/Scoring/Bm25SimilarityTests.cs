using SearchRerank.Search.Scoring;

namespace SearchRerank.Search.Tests.Scoring;

public class Bm25SimilarityTests
{
    [Fact]
    public void IdfIsLuceneNonNegativeForm()
    {
        var bm25 = new Bm25Similarity();
        Assert.Equal(Math.Log(1 + (1000 - 10 + 0.5) / 10.5), bm25.Idf(10, 1000), 12);
        Assert.True(bm25.Idf(1000, 1000) > 0, "a term in every document still has a small positive weight");
        Assert.True(bm25.Idf(1, 1000) > bm25.Idf(2, 1000));
    }

    [Fact]
    public void TermFrequencyFactorMatchesTheFormula()
    {
        var bm25 = new Bm25Similarity(1.2, 0.75);
        // tf = 3, dl = 20, avgdl = 10: 3·2.2 / (3 + 1.2·(0.25 + 0.75·2)) = 6.6 / 5.1
        Assert.Equal(6.6 / 5.1, bm25.TermFrequencyFactor(3, 20, 10), 12);
        // b = 0 ignores length; saturation approaches k1 + 1
        var noLength = new Bm25Similarity(0.9, 0);
        Assert.Equal(noLength.TermFrequencyFactor(2, 5, 10), noLength.TermFrequencyFactor(2, 500, 10), 12);
        Assert.InRange(noLength.TermFrequencyFactor(1e9, 5, 10), 1.89, 1.9);
    }

    [Fact]
    public void LongerDocumentsScoreLowerForTheSameTf()
    {
        var bm25 = new Bm25Similarity();
        Assert.True(bm25.TermFrequencyFactor(2, 5, 10) > bm25.TermFrequencyFactor(2, 50, 10));
    }

    [Fact]
    public void ToStringIsTheRunTag()
    {
        Assert.Equal("BM25(k1=0.9,b=0.4)", new Bm25Similarity().ToString());
        Assert.Equal("BM25(k1=1.2,b=0.75)", new Bm25Similarity(1.2, 0.75).ToString());
    }

    [Theory]
    [InlineData(-0.1, 0.4)]
    [InlineData(double.NaN, 0.4)]
    [InlineData(0.9, 1.5)]
    [InlineData(0.9, -0.01)]
    public void RejectsInvalidParameters(double k1, double b)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new Bm25Similarity(k1, b));
        Assert.Contains("BM25", error.Message);
    }
}

public class LuceneLengthEncodingTests
{
    [Theory]
    [InlineData(0, 0)]
    [InlineData(23, 23)]
    [InlineData(24, 24)]
    [InlineData(100, 96)]
    [InlineData(200, 200)]
    [InlineData(201, 200)]
    [InlineData(215, 200)]
    [InlineData(216, 216)]
    [InlineData(1000, 984)]
    public void RoundsLikeSmallFloatIntToByte4(int length, int quantized) => Assert.Equal(quantized, LuceneLengthEncoding.Quantize(length));

    [Fact]
    public void IsMonotonicNeverLargerAndStableUnderRepetition()
    {
        var previous = -1;
        for (var length = 0; length < 100_000; length++)
        {
            var q = LuceneLengthEncoding.Quantize(length);
            Assert.True(q <= length && q >= previous, $"length {length} → {q}");
            Assert.Equal(q, LuceneLengthEncoding.Quantize(q));
            previous = q;
        }
    }
}
