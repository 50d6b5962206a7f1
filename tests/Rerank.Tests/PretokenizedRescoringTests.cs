using Lucene.Net.Index;
using Lucene.Net.Util;
using SearchRerank.Core;
using SearchRerank.Rerank.Pretokenization;
using SearchRerank.Rerank.Tokenization;
using SearchRerank.Rerank.Tokenization.HuggingFace;
using SearchRerank.Search;
using SearchRerank.Search.Index;

namespace SearchRerank.Rerank.Tests;

/// <summary>
/// Pre-tokenized documents live in the index beside the text they were made from: the stored ids equal a fresh
/// tokenization, re-ranking with them gives the same scores, a replaced document never keeps stale ids, and ids made
/// for another vocabulary are never used.
/// </summary>
public sealed class PretokenizedRescoringTests(SciFactIndexFixture fixture) : IClassFixture<SciFactIndexFixture>
{
    private const string Query = "cerebral white matter development in newborns measured by diffusion MRI";

    private HuggingFaceTokenizer Tokenizer => fixture.Encoder.Tokenizer;

    private TempDirectory BuildPretokenized(out PretokenizeSummary summary)
    {
        var dir = new TempDirectory();
        using var writer = Indexer.Open(dir.Path);
        writer.Write(fixture.Documents.Take(120).Append(new CorpusDocument("untitled", "", "Only text, no title: white matter.")));
        summary = Pretokenizer.Run(writer, Tokenizer.Fingerprint, Tokenizer.Tokenize);
        return dir;
    }

    private static int[]? StoredIds(SearchSnapshot snapshot, string id, string fingerprint)
    {
        var values = MultiDocValues.GetBinaryValues(snapshot.IndexSearcher.IndexReader, IndexSchema.WordPieceIds);
        var bytes = new BytesRef();
        values.Get(snapshot.Find(id), bytes);
        return PretokenizedIds.TryDecode(bytes, fingerprint, out var ids) ? ids : null;
    }

    [Fact]
    public void StoredIdsEqualFreshTokenizationOfTitleAndText()
    {
        using var dir = BuildPretokenized(out var summary);
        Assert.Equal((121L, 0L), (summary.Tokenized, summary.AlreadyTokenized));
        using var searcher = Searcher.Open(dir.Path);
        using var snapshot = searcher.Acquire();
        long tokens = 0;
        foreach (var document in searcher.Documents())
        {
            var ids = StoredIds(snapshot, document.Id, Tokenizer.Fingerprint);
            Assert.Equal(Tokenizer.Tokenize(CorpusDocument.TitleAndText(document.Title, document.Text)), ids);
            tokens += ids!.Length;
        }
        Assert.Equal(summary.Tokens, tokens);
        Assert.Equal(Tokenizer.Tokenize("Only text, no title: white matter."), StoredIds(snapshot, "untitled", Tokenizer.Fingerprint));
        Assert.Equal(121, Pretokenizer.Count(searcher)[Tokenizer.Fingerprint]);
    }

    [Fact]
    public void ReRankingWithStoredIdsGivesTheSameScoresAndAReplacedDocumentIsScoredOnItsNewText()
    {
        using var dir = BuildPretokenized(out _);
        string replacedId;
        float[] before, after;
        using (var searcher = Searcher.Open(dir.Path))
        {
            using var snapshot = searcher.Acquire();
            var top = snapshot.Search(searcher.ParseQuery(Query)!, 20);
            var plain = new CrossEncoderRescorer(fixture.Encoder, Query).Rescore(snapshot.IndexSearcher, top, 20);
            var stored = new CrossEncoderRescorer(fixture.Encoder, Query, new CrossEncoderRescorerOptions { PretokenizedField = IndexSchema.WordPieceIds })
                .Rescore(snapshot.IndexSearcher, top, 20);
            Assert.Equal(plain.ScoreDocs.Select(d => (d.Doc, d.Score)), stored.ScoreDocs.Select(d => (d.Doc, d.Score)));
            replacedId = snapshot.IdOf(top.ScoreDocs[0].Doc);
            before = [((RescoredDoc)plain.ScoreDocs.First(d => d.Doc == top.ScoreDocs[0].Doc)).CrossEncoderScore];
        }

        const string newText = "Diffusion MRI of white matter in preterm newborns, replaced.";
        using (var writer = Indexer.Open(dir.Path))
            writer.Write(new CorpusDocument(replacedId, "Replaced", newText));
        using (var searcher = Searcher.Open(dir.Path))
        {
            using var snapshot = searcher.Acquire();
            Assert.Null(StoredIds(snapshot, replacedId, Tokenizer.Fingerprint)); // the new document has no ids, not the old ones
            var pipeline = new RerankPipeline(searcher, fixture.Encoder, firstStageDepth: 30);
            var hit = pipeline.Search(Query, 30).Single(h => h.DocId == replacedId);
            after = fixture.Encoder.Predict([(Query, "Replaced " + newText)]);
            Assert.Equal(after[0], hit.CrossEncoderScore, 5);
            Assert.NotEqual(before[0], after[0]);
        }
        using (var writer = Indexer.Open(dir.Path))
            Assert.Equal((1L, 120L), (Pretokenizer.Run(writer, Tokenizer.Fingerprint, Tokenizer.Tokenize) is var s ? (s.Tokenized, s.AlreadyTokenized) : default));
    }

    [Fact]
    public void IdsOfAnotherVocabularyAreNeverUsed()
    {
        using var dir = BuildPretokenized(out _);
        using var modelDir = new TempDirectory();
        File.Copy(Path.Combine(TestPaths.ReferenceModel, "vocab.txt"), modelDir.File("vocab.txt"));
        File.WriteAllText(modelDir.File("tokenizer_config.json"), """{"do_lower_case": false}""");
        var cased = BertTokenizer.FromDirectory(modelDir.Path);
        Assert.NotEqual(Tokenizer.Fingerprint, cased.Fingerprint);
        using var searcher = Searcher.Open(dir.Path);
        using var snapshot = searcher.Acquire();
        Assert.Null(StoredIds(snapshot, fixture.Documents[0].Id, cased.Fingerprint));
    }

    [Fact]
    public void CancellationLeavesNoIdsBehind()
    {
        using var dir = new TempDirectory();
        using (var writer = Indexer.Open(dir.Path))
        {
            writer.Write(Enumerable.Range(0, 1500).Select(i => new CorpusDocument($"d{i}", "", $"short text {i}")));
            using var cancel = new CancellationTokenSource();
            Assert.ThrowsAny<OperationCanceledException>(() => Pretokenizer.Run(writer, Tokenizer.Fingerprint, Tokenizer.Tokenize,
                new DirectProgress<PretokenizeProgress>(_ => cancel.Cancel()), cancel.Token));
        }
        using var searcher = Searcher.Open(dir.Path);
        Assert.Empty(Pretokenizer.Count(searcher));
        Assert.Equal(1500, searcher.DocumentCount);
    }
}
