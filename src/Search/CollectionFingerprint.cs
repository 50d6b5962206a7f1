using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace SearchRerank.Search;

/// <summary>
/// Which collection an index holds: its number of documents and 16 hex digits of the SHA-256 of their sorted ids. A
/// model records the fingerprint of the index it was trained on, so re-ranking can tell its own collection from another
/// one (where the fusion weight tuned in-domain is not safe). Any change of the document set, even one document,
/// gives another fingerprint.
/// </summary>
public sealed record CollectionFingerprint(long Documents, string Hash)
{
    /// <summary>
    /// The fingerprint of the live documents <paramref name="searcher"/> sees, from the id doc values (no stored-field
    /// read; the per-segment id tables are the ones hits already use).
    /// </summary>
    public static CollectionFingerprint Of(Searcher searcher)
    {
        ArgumentNullException.ThrowIfNull(searcher);
        var ids = new List<string>();
        using (var snapshot = searcher.Acquire())
        {
            foreach (var leaf in snapshot.IndexSearcher.IndexReader.Leaves)
            {
                var live = leaf.AtomicReader.LiveDocs;
                for (var doc = 0; doc < leaf.AtomicReader.MaxDoc; doc++)
                {
                    if (live is null || live.Get(doc))
                        ids.Add(Index.DocumentIds.Of(leaf, doc));
                }
            }
        }
        ids.Sort(StringComparer.Ordinal);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var id in ids)
        {
            sha.AppendData(Encoding.UTF8.GetBytes(id));
            sha.AppendData("\n"u8);
        }
        return new CollectionFingerprint(ids.Count, Convert.ToHexString(sha.GetHashAndReset(), 0, 8).ToLowerInvariant());
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Documents:N0} documents, fingerprint {Hash}");
}
