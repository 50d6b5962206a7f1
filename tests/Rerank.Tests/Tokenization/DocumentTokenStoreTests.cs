// SearchRerank: pre-tokenized documents equal fresh tokenization and are only served to the matching vocabulary.
using SearchRerank.Rerank.Tokenization;
using SearchRerank.Search;
using SearchRerank.Search.Index;
using SearchRerank.Core;

namespace SearchRerank.Rerank.Tests.Tokenization;

public sealed class DocumentTokenStoreTests : IClassFixture<TokenizerFixture>
{
    private readonly BertTokenizer tokenizer;

    public DocumentTokenStoreTests(TokenizerFixture tokenizers) => tokenizer = tokenizers.FromJson;

    private static List<Document> SciFact(int count) =>
        CorpusReader.Read(Path.Combine(SharedData.Shared, "data", "scifact", "corpus.jsonl")).Take(count).ToList();

    [Fact]
    public void StoredIdsEqualFreshTokenizationOfTitleAndText()
    {
        using var dir = new TempDirectory();
        var documents = SciFact(300);
        documents.Add(new Document("untitled", "", "Only text, no title."));
        var reports = new List<PretokenizeProgress>();
        string path = DocumentTokenStore.Build(dir.Path, tokenizer, documents, new SyncProgress(reports.Add));

        Assert.Equal(DocumentTokenStore.PathFor(dir.Path, tokenizer), path);
        Assert.Equal($"wordpiece-{tokenizer.Fingerprint}.sqlite", Path.GetFileName(path));
        Assert.Equal([path], Directory.GetFiles(dir.Path)); // no temporary file left behind
        Assert.Equal(documents.Count, reports[^1].Documents);

        using var store = DocumentTokenStore.TryOpen(dir.Path, tokenizer);
        Assert.NotNull(store);
        Assert.Equal(documents.Count, store.Count);
        Assert.Equal(tokenizer.Fingerprint, store.Fingerprint);
        long tokens = 0;
        foreach (var document in documents)
        {
            Assert.True(store.TryGet(document.Id, out var ids), document.Id);
            Assert.Equal(tokenizer.Tokenize(DocumentTokenStore.DocumentText(document)), ids);
            tokens += ids.Length;
        }
        Assert.Equal(tokens, reports[^1].Tokens);
        Assert.Equal("Only text, no title.", DocumentTokenStore.DocumentText(documents[^1]));
        Assert.Equal(documents[0].Title + " " + documents[0].Text, DocumentTokenStore.DocumentText(documents[0]));
        Assert.False(store.TryGet("no-such-document", out var none));
        Assert.Empty(none);
    }

    [Fact]
    public void ConcurrentLookupsAgree()
    {
        using var dir = new TempDirectory();
        var documents = SciFact(64);
        DocumentTokenStore.Build(dir.Path, tokenizer, documents);
        using var store = DocumentTokenStore.TryOpen(dir.Path, tokenizer)!;
        Parallel.For(0, 512, i =>
        {
            var document = documents[i % documents.Count];
            Assert.True(store.TryGet(document.Id, out var ids));
            Assert.Equal(tokenizer.Tokenize(DocumentTokenStore.DocumentText(document)), ids);
        });
    }

    [Fact]
    public void AStoreOfAnotherVocabularyIsNeverUsed()
    {
        using var dir = new TempDirectory();
        DocumentTokenStore.Build(dir.Path, tokenizer, SciFact(10));

        using var modelDir = new TempDirectory();
        File.Copy(Path.Combine(SharedData.TinyModel, "vocab.txt"), modelDir.File("vocab.txt"));
        File.WriteAllText(modelDir.File("tokenizer_config.json"), """{"do_lower_case": false}""");
        var cased = BertTokenizer.FromDirectory(modelDir.Path);
        Assert.NotEqual(tokenizer.Fingerprint, cased.Fingerprint);
        Assert.Null(DocumentTokenStore.TryOpen(dir.Path, cased));

        // Even a store file renamed to the other fingerprint is refused, by the fingerprint recorded inside it.
        File.Copy(DocumentTokenStore.PathFor(dir.Path, tokenizer), DocumentTokenStore.PathFor(dir.Path, cased));
        var error = Assert.Throws<InvalidDataException>(() => DocumentTokenStore.TryOpen(dir.Path, cased));
        Assert.Contains(tokenizer.Fingerprint, error.Message);
        Assert.Contains(DocumentTokenStore.PathFor(dir.Path, cased), error.Message);
    }

    [Fact]
    public void ADamagedStoreFileIsReportedWithItsPath()
    {
        using var dir = new TempDirectory();
        string path = DocumentTokenStore.PathFor(dir.Path, tokenizer);
        File.WriteAllText(path, "this is not a database, just some text long enough to have a header........................");
        var error = Assert.Throws<InvalidDataException>(() => DocumentTokenStore.TryOpen(dir.Path, tokenizer));
        Assert.StartsWith(path, error.Message);
    }

    [Fact]
    public void BuildsFromAnIndexIsStaleAfterIndexChangesAndIsReplacedByARebuild()
    {
        using var dir = new TempDirectory();
        using (var writer = IndexWriter.Open(dir.Path))
        {
            writer.Write([new Document("d1", "Vitamin D", "Vitamin D deficiency and bone density."), new Document("d2", "", "Aspirin [SEP] trials")]);
        }
        using (var searcher = Searcher.Open(dir.Path))
            DocumentTokenStore.Build(dir.Path, tokenizer, searcher.Documents());
        using (var fresh = DocumentTokenStore.TryOpen(dir.Path, tokenizer))
            Assert.NotNull(fresh);
        using (var writer = IndexWriter.Open(dir.Path))
            writer.Write(new Document("d2", "", "Aspirin trials, revised"));
        Assert.Null(DocumentTokenStore.TryOpen(dir.Path, tokenizer)); // stale: the index changed after pre-tokenization
        using (var searcher = Searcher.Open(dir.Path))
            DocumentTokenStore.Build(dir.Path, tokenizer, searcher.Documents());

        using var store = DocumentTokenStore.TryOpen(dir.Path, tokenizer)!;
        Assert.Equal(2, store.Count);
        Assert.True(store.TryGet("d1", out var d1));
        Assert.Equal(tokenizer.Tokenize("Vitamin D Vitamin D deficiency and bone density."), d1);
        Assert.True(store.TryGet("d2", out var d2));
        Assert.Equal(tokenizer.Tokenize("Aspirin trials, revised"), d2);
    }

    [Fact]
    public void IdsBeyondSixteenBitsRoundTrip()
    {
        using var modelDir = new TempDirectory();
        File.WriteAllLines(modelDir.File("vocab.txt"), ["[PAD]", "[UNK]", "[CLS]", "[SEP]", .. Enumerable.Range(0, 70_000).Select(i => $"w{i}")]);
        var large = BertTokenizer.FromDirectory(modelDir.Path);
        using var dir = new TempDirectory();
        DocumentTokenStore.Build(dir.Path, large, [new Document("d", "w69999", "w1 w65536")]);
        using var store = DocumentTokenStore.TryOpen(dir.Path, large)!;
        Assert.True(store.TryGet("d", out var ids));
        Assert.Equal([70_003, 5, 65_540], ids);
    }

    [Fact]
    public void CancellationLeavesNoStore()
    {
        using var dir = new TempDirectory();
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => DocumentTokenStore.Build(dir.Path, tokenizer, SciFact(10), null, cancel.Token));
        Assert.Empty(Directory.GetFiles(dir.Path));
    }

    private sealed class SyncProgress(Action<PretokenizeProgress> report) : IProgress<PretokenizeProgress>
    {
        public void Report(PretokenizeProgress value) => report(value);
    }
}
