using Lucene.Net.Index;
using Lucene.Net.Search;
using SearchRerank.Search.Index;

namespace SearchRerank.Search;

/// <summary>
/// Keeps the best k hits in <see cref="TrecOrder"/> (Lucene's own top-k collectors break ties by document number,
/// which depends on indexing order). A bounded min-heap of (score, id rank) whose root is the worst kept hit: most
/// candidates are dropped after one float comparison, and ties cost one integer comparison of <see cref="IdRanks"/>.
/// Accepts documents out of order, which lets Lucene score disjunctions with its bulk scorer.
/// </summary>
internal sealed class TrecOrderCollector : ICollector
{
    private readonly int k;
    private readonly int[] idRanks;
    private readonly Entry[] heap;
    private int count;
    private Scorer? scorer;
    private int docBase;
    private int totalHits;
    private float maxScore = float.NaN;

    /// <param name="k">Hits to keep, at least 1.</param>
    /// <param name="idRanks">The <see cref="IdRanks"/> of the reader searched.</param>
    public TrecOrderCollector(int k, int[] idRanks)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        this.k = k;
        this.idRanks = idRanks;
        heap = new Entry[Math.Min(k, Math.Max(1, idRanks.Length))];
    }

    public bool AcceptsDocsOutOfOrder => true;

    public void SetScorer(Scorer scorer) => this.scorer = scorer;

    public void SetNextReader(AtomicReaderContext context) => docBase = context.DocBase;

    public void Collect(int doc)
    {
        totalHits++;
        var score = scorer!.GetScore();
        if (!(score <= maxScore))
            maxScore = score;
        var global = docBase + doc;
        var entry = new Entry(score, idRanks[global], global);
        if (count < heap.Length && count < k)
        {
            heap[count] = entry;
            SiftUp(count++);
        }
        else if (Worse(heap[0], entry))
        {
            heap[0] = entry;
            SiftDown(0);
        }
    }

    public TopDocs TopDocs()
    {
        var kept = heap.AsSpan(0, count).ToArray();
        // Best first: score descending, then id descending.
        Array.Sort(kept, (x, y) => Worse(x, y) ? 1 : Worse(y, x) ? -1 : 0);
        var docs = new ScoreDoc[kept.Length];
        for (var i = 0; i < docs.Length; i++)
            docs[i] = new ScoreDoc(kept[i].Doc, kept[i].Score);
        return new TopDocs(totalHits, docs, maxScore);
    }

    /// <summary>True when <paramref name="x"/> ranks after <paramref name="y"/>: a lower score, or an equal score and a smaller id.</summary>
    private static bool Worse(in Entry x, in Entry y) => x.Score < y.Score || (x.Score == y.Score && x.Rank < y.Rank);

    private void SiftUp(int i)
    {
        var entry = heap[i];
        while (i > 0)
        {
            var parent = (i - 1) >> 1;
            if (!Worse(entry, heap[parent]))
                break;
            heap[i] = heap[parent];
            i = parent;
        }
        heap[i] = entry;
    }

    private void SiftDown(int i)
    {
        var entry = heap[i];
        while (true)
        {
            var child = 2 * i + 1;
            if (child >= count)
                break;
            if (child + 1 < count && Worse(heap[child + 1], heap[child]))
                child++;
            if (!Worse(heap[child], entry))
                break;
            heap[i] = heap[child];
            i = child;
        }
        heap[i] = entry;
    }

    private readonly record struct Entry(float Score, int Rank, int Doc);
}
