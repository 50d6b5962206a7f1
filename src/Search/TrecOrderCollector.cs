using Lucene.Net.Index;
using Lucene.Net.Search;
using SearchRerank.Search.Index;

namespace SearchRerank.Search;

/// <summary>
/// Keeps the best k hits in <see cref="TrecOrder"/> (Lucene's own top-k collectors break ties by document number,
/// which depends on indexing order). A bounded min-heap whose root is the worst kept hit: a hit scoring below it is
/// dropped after one comparison, so ids are only compared on equal scores. Accepts documents out of order, which lets
/// Lucene score disjunctions with its bulk scorer.
/// </summary>
internal sealed class TrecOrderCollector(int k) : ICollector
{
    private static readonly Comparer<Entry> WorstFirst = Comparer<Entry>.Create((x, y) => -TrecOrder.Compare(x.Score, x.Id, y.Score, y.Id));

    private readonly PriorityQueue<Entry, Entry> heap = new(Math.Min(k, 4096), WorstFirst);
    private Scorer? scorer;
    private SegmentIds? ids;
    private SortedDocValues? idValues;
    private int docBase;
    private int totalHits;
    private float maxScore = float.NaN;

    public bool AcceptsDocsOutOfOrder => true;

    public void SetScorer(Scorer scorer) => this.scorer = scorer;

    public void SetNextReader(AtomicReaderContext context)
    {
        docBase = context.DocBase;
        ids = DocumentIds.ForSegment(context.AtomicReader);
        idValues = SegmentIds.Values(context.AtomicReader);
    }

    public void Collect(int doc)
    {
        totalHits++;
        var score = scorer!.GetScore();
        if (!(score <= maxScore))
            maxScore = score;
        if (heap.Count < k)
        {
            var entry = new Entry(score, docBase + doc, ids!.Of(idValues!, doc));
            heap.Enqueue(entry, entry);
            return;
        }
        var worst = heap.Peek();
        if (score < worst.Score)
            return;
        var candidate = new Entry(score, docBase + doc, ids!.Of(idValues!, doc));
        if (WorstFirst.Compare(candidate, worst) > 0)
            heap.EnqueueDequeue(candidate, candidate);
    }

    public TopDocs TopDocs()
    {
        var docs = new ScoreDoc[heap.Count];
        for (var i = docs.Length - 1; heap.TryDequeue(out var entry, out _); i--)
            docs[i] = new ScoreDoc(entry.Doc, entry.Score);
        return new TopDocs(totalHits, docs, maxScore);
    }

    private readonly record struct Entry(float Score, int Doc, string Id);
}
