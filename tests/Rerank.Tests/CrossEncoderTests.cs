using SearchRerank.Core;
using SearchRerank.Rerank.Tokenization;

namespace SearchRerank.Rerank.Tests;

public sealed class CrossEncoderTests(ReferenceModelFixture fixture) : IClassFixture<ReferenceModelFixture>
{
    private const double Tolerance = 1e-4;

    private static PairEncoding[] ReferenceEncodings() =>
        ReferenceScore.All.Select(r => new PairEncoding(r.InputIds, r.TokenTypeIds, false)).ToArray();

    [Theory]
    [InlineData(1, 1)]
    [InlineData(7, 1)]
    [InlineData(7, 3)]
    [InlineData(64, 1)]
    public void ReferenceIdsGiveReferenceLogitsInShuffledOrder(int batchSize, int concurrentBatches)
    {
        var reference = ReferenceScore.All;
        Assert.Equal(385, reference.Count);
        var order = Enumerable.Range(0, reference.Count).ToArray();
        new Random(batchSize).Shuffle(order);
        using var encoder = CrossEncoder.Load(TestPaths.ReferenceModel, new CrossEncoderOptions { BatchSize = batchSize, Threads = 1, ConcurrentBatches = concurrentBatches });

        var encodings = ReferenceEncodings();
        var scores = encoder.Predict(order.Select(i => encodings[i]).ToArray());

        for (var k = 0; k < order.Length; k++)
        {
            var r = reference[order[k]];
            Assert.True(Math.Abs(scores[k] - r.Logit) <= Tolerance, $"{r.Id}: got {scores[k]}, reference {r.Logit}");
        }
    }

    [Fact]
    public void EndToEndThroughTheTokenizerGivesReferenceLogits()
    {
        var reference = ReferenceScore.All;
        var scores = fixture.Encoder.Predict(reference.Select(r => (r.Query, r.Document)).ToArray());
        for (var i = 0; i < reference.Count; i++)
            Assert.True(Math.Abs(scores[i] - reference[i].Logit) <= Tolerance, $"{reference[i].Id}: got {scores[i]}, reference {reference[i].Logit}");
    }

    [Fact]
    public void ConcurrentCallersGetTheSameScores()
    {
        var encodings = ReferenceEncodings().Take(48).ToArray();
        var expected = fixture.Encoder.Predict(encodings);
        var results = new float[6][];
        Parallel.For(0, results.Length, new ParallelOptions { MaxDegreeOfParallelism = 6 }, t =>
            results[t] = fixture.Encoder.Predict(encodings.Skip(t).Concat(encodings.Take(t)).ToArray()));
        for (var t = 0; t < results.Length; t++)
            for (var i = 0; i < encodings.Length; i++)
                Assert.Equal(expected[(i + t) % encodings.Length], results[t][i], 1e-5f);
    }

    [Fact]
    public void EmptyInputGivesNoScores()
    {
        Assert.Empty(fixture.Encoder.Predict(Array.Empty<PairEncoding>()));
        Assert.Empty(fixture.Encoder.Predict(Array.Empty<(string, string)>()));
    }

    [Fact]
    public void MalformedEncodingIsRejectedWithItsIndex()
    {
        var bad = new PairEncoding([101, 102], [0], false);
        var ex = Assert.Throws<ArgumentException>(() => fixture.Encoder.Predict([ReferenceEncodings()[0], bad]));
        Assert.Contains("encoding 1", ex.Message);
    }

    [Fact]
    public void RankSortsByScoreDescending()
    {
        var reference = ReferenceScore.All.Where(r => r.Id.StartsWith("scifact", StringComparison.Ordinal)).Take(10).ToArray();
        var query = reference[0].Query;
        var documents = reference.Select(r => r.Document).ToArray();
        var ranked = fixture.Encoder.Rank(query, documents);
        var direct = fixture.Encoder.Predict(documents.Select(d => (query, d)).ToArray());
        Assert.Equal(documents.Length, ranked.Count);
        for (var i = 1; i < ranked.Count; i++)
            Assert.True(ranked[i - 1].Score >= ranked[i].Score);
        Assert.All(ranked, r => Assert.Equal(direct[r.Index], r.Score));
    }

    [Fact]
    public void TruncationIsReportedThroughNotices()
    {
        var notices = new List<CrossEncoderNotice>();
        using var encoder = CrossEncoder.Load(TestPaths.ReferenceModel,
            new CrossEncoderOptions { MaxLength = 32, Threads = 1, Notices = new DirectProgress<CrossEncoderNotice>(notices.Add) });
        var longDoc = string.Join(" ", Enumerable.Repeat("protein folding in yeast cells", 20));
        encoder.Predict([("short query", "short document"), ("short query", longDoc)]);
        var notice = Assert.Single(notices, n => n.Kind == CrossEncoderNoticeKind.Truncation);
        Assert.Contains("1 of 2 pairs truncated to 32 tokens", notice.Message);
    }

    [Fact]
    public void MaxWindowScoresTheBestWindowOfALongDocument()
    {
        const int maxLength = 32;
        using var truncating = CrossEncoder.Load(TestPaths.ReferenceModel, new CrossEncoderOptions { MaxLength = maxLength, Threads = 1 });
        using var windowed = CrossEncoder.Load(TestPaths.ReferenceModel,
            new CrossEncoderOptions { MaxLength = maxLength, Threads = 1, LongDocuments = LongDocumentStrategy.MaxWindow, WindowStride = 8 });
        var query = "what causes protein misfolding";
        var shortDoc = "chaperones prevent misfolding";
        var longDoc = string.Join(" ", ReferenceScore.All.First(r => r.Id.StartsWith("scifact", StringComparison.Ordinal)).Document.Split(' ').Take(80));

        // A document that fits is scored exactly as with truncation.
        Assert.Equal(truncating.Predict([(query, shortDoc)])[0], windowed.Predict([(query, shortDoc)])[0], 1e-5f);

        // A long one scores the maximum over its windows: width 32 - 3 - |q|, every 8 tokens, the last flush with the end.
        var q = truncating.Tokenizer.Tokenize(query);
        var d = truncating.Tokenizer.Tokenize(longDoc);
        var width = maxLength - 3 - q.Length;
        Assert.True(d.Length > width);
        var windows = new List<PairEncoding>();
        for (var start = 0; ; start += 8)
        {
            var from = Math.Min(start, d.Length - width);
            windows.Add(truncating.Tokenizer.EncodePair(q, d.AsSpan(from, width), maxLength));
            if (from + width >= d.Length)
                break;
        }

        Assert.All(windows, w => Assert.False(w.Truncated));
        var expected = truncating.Predict(windows).Max();
        Assert.Equal(expected, windowed.Predict([(query, longDoc)])[0], 1e-5f);
        Assert.True(windows.Count >= 3);
        Assert.True(expected >= truncating.Predict([(query, longDoc)])[0] - 1e-5f, "the first window is the truncated pair");
    }
}
