// SearchRerank: WordPiece ids of every indexed document, computed once at indexing time.
using System.Globalization;
using System.Buffers.Binary;
using Microsoft.Data.Sqlite;
using SearchRerank.Rerank.Tokenization;
using SearchRerank.Search;
using SearchRerank.Core;

namespace SearchRerank.Rerank;

/// <summary>
/// Pre-tokenized documents: document id → WordPiece ids of <see cref="DocumentText"/>, so re-ranking skips
/// tokenizing candidates. One SQLite file per tokenizer inside the index directory,
/// <c>wordpiece-&lt;fingerprint&gt;.sqlite</c>, where the fingerprint (<see cref="BertTokenizer.Fingerprint"/>) covers the
/// vocabulary and the normalization settings: ids stored for one model's vocabulary are never served to another.
/// <para>
/// Built whole by <see cref="Build"/> into a temporary file renamed into place, so a store is complete or absent.
/// The store records the index's write generation; once documents are added, replaced or deleted the store is stale
/// and <see cref="TryOpen"/> no longer returns it (re-ranking then tokenizes, with the same scores, until it is rebuilt).
/// <see cref="TryGet"/> is thread-safe. Dispose closes the file.
/// </para>
/// </summary>
public sealed class DocumentTokenStore : IDisposable
{
    private const string FormatVersion = "2";
    private const int BatchSize = 512;

    private readonly SqliteConnection connection;
    private readonly SqliteCommand lookup;
    private readonly object gate = new();

    private readonly int idBytes;

    private DocumentTokenStore(string path, SqliteConnection connection, string fingerprint, long count, int idBytes, long? indexGeneration)
    {
        IndexGeneration = indexGeneration;
        Path = path;
        this.connection = connection;
        Fingerprint = fingerprint;
        Count = count;
        this.idBytes = idBytes;
        lookup = connection.CreateCommand();
        lookup.CommandText = "SELECT ids FROM tokens WHERE id = $id";
        lookup.Parameters.Add(new SqliteParameter("$id", null));
    }

    public string Path { get; }

    /// <summary>The fingerprint of the tokenizer that produced the ids.</summary>
    public string Fingerprint { get; }

    /// <summary>Number of stored documents.</summary>
    public long Count { get; }

    /// <summary>The write generation of the index the documents were read from; null when built without an index.</summary>
    public long? IndexGeneration { get; }

    /// <summary>The text that is tokenized for a document: <c>title + " " + text</c>, or the text alone when there is no title.</summary>
    public static string DocumentText(Document document) =>
        Document.TitleAndText(document.Title, document.Text);

    /// <summary>Where the store for <paramref name="tokenizer"/> lives in <paramref name="indexDirectory"/>.</summary>
    public static string PathFor(string indexDirectory, BertTokenizer tokenizer) =>
        System.IO.Path.Combine(indexDirectory, $"wordpiece-{tokenizer.Fingerprint}.sqlite");

    /// <summary>
    /// The store built for exactly this tokenizer and the index's current contents, or null when the index has none
    /// or the index changed since it was built.
    /// </summary>
    /// <exception cref="InvalidDataException">The file exists but is damaged or was built with another vocabulary.</exception>
    public static DocumentTokenStore? TryOpen(string indexDirectory, BertTokenizer tokenizer)
    {
        string path = PathFor(indexDirectory, tokenizer);
        if (!File.Exists(path))
            return null;
        var store = Open(path, tokenizer);
        if (store.IndexGeneration is { } built && IndexGenerationOf(indexDirectory) != built)
        {
            store.Dispose();
            return null;
        }
        return store;
    }

    /// <summary>Opens <paramref name="path"/> read-only after checking it was built with <paramref name="tokenizer"/>'s vocabulary.</summary>
    /// <exception cref="InvalidDataException">Not a token store, another format version, or another tokenizer fingerprint.</exception>
    public static DocumentTokenStore Open(string path, BertTokenizer tokenizer)
    {
        var connection = Connect(path, SqliteOpenMode.ReadOnly);
        try
        {
            var meta = new Dictionary<string, string>(StringComparer.Ordinal);
            using (var command = connection.CreateCommand())
            {
                command.CommandText = "SELECT key, value FROM meta";
                using var reader = command.ExecuteReader();
                while (reader.Read())
                    meta[reader.GetString(0)] = reader.GetString(1);
            }
            if (meta.GetValueOrDefault("format") != FormatVersion)
                throw new InvalidDataException($"{path}: not a WordPiece token store of format {FormatVersion} (format '{meta.GetValueOrDefault("format")}')");
            string fingerprint = meta.GetValueOrDefault("fingerprint") ?? "";
            if (fingerprint != tokenizer.Fingerprint)
                throw new InvalidDataException($"{path}: built for tokenizer fingerprint '{fingerprint}', but the model's tokenizer has '{tokenizer.Fingerprint}'; run 'searchrerank pretokenize' again");
            if (!long.TryParse(meta.GetValueOrDefault("documents"), NumberStyles.None, CultureInfo.InvariantCulture, out long count))
                throw new InvalidDataException($"{path}: meta.documents is missing or not a number");
            int idBytes = meta.GetValueOrDefault("id_bytes") switch
            {
                "2" => 2,
                "4" => 4,
                var other => throw new InvalidDataException($"{path}: meta.id_bytes must be 2 or 4, got '{other}'"),
            };
            long? generation = meta.GetValueOrDefault("index_generation") is { Length: > 0 } g
                ? long.TryParse(g, NumberStyles.None, CultureInfo.InvariantCulture, out long parsed)
                    ? parsed
                    : throw new InvalidDataException($"{path}: meta.index_generation is not a number: '{g}'")
                : null;
            return new DocumentTokenStore(path, connection, fingerprint, count, idBytes, generation);
        }
        catch (SqliteException e)
        {
            connection.Dispose();
            throw new InvalidDataException($"{path}: not a readable token store: {e.Message}", e);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Tokenizes every document and writes the store for <paramref name="tokenizer"/> into <paramref name="indexDirectory"/>,
    /// replacing an older one. Documents are tokenized in parallel batches; a repeated id keeps its last text.
    /// When the directory holds an index, <paramref name="documents"/> must be its documents (<see cref="Searcher.Documents"/>):
    /// the store is tied to the index generation read before they are enumerated. Returns the store's path.
    /// </summary>
    public static string Build(string indexDirectory, BertTokenizer tokenizer, IEnumerable<Document> documents,
        IProgress<PretokenizeProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentNullException.ThrowIfNull(documents);
        string path = PathFor(indexDirectory, tokenizer);
        // Ids are little-endian unsigned, 2 bytes each when the vocabulary allows (BERT's 30,522 does): half the file.
        int idBytes = tokenizer.VocabularySize <= ushort.MaxValue + 1 ? 2 : 4;
        long? generation = IndexGenerationOf(indexDirectory);
        string temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        try
        {
            long count = 0, tokens = 0;
            using (var connection = Connect(temporary, SqliteOpenMode.ReadWriteCreate))
            {
                // The file is renamed into place only when complete, so durability of each write does not matter.
                Execute(connection, "PRAGMA journal_mode = OFF");
                Execute(connection, "PRAGMA synchronous = OFF");
                Execute(connection, "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID");
                // A rowid table: its blobs stay out of the id index (WITHOUT ROWID would put them in the key B-tree).
                Execute(connection, "CREATE TABLE tokens(id TEXT PRIMARY KEY, ids BLOB NOT NULL)");
                using var insert = connection.CreateCommand();
                insert.CommandText = "INSERT OR REPLACE INTO tokens(id, ids) VALUES ($id, $ids)";
                var idParameter = insert.Parameters.Add(new SqliteParameter("$id", null));
                var idsParameter = insert.Parameters.Add(new SqliteParameter("$ids", null));

                var batch = new List<Document>(BatchSize);
                var encoded = new int[BatchSize][];
                void Flush()
                {
                    Parallel.For(0, batch.Count, new ParallelOptions { CancellationToken = cancellationToken },
                        i => encoded[i] = tokenizer.Tokenize(DocumentText(batch[i])));
                    using var transaction = connection.BeginTransaction();
                    insert.Transaction = transaction;
                    for (int i = 0; i < batch.Count; i++)
                    {
                        idParameter.Value = batch[i].Id;
                        idsParameter.Value = Pack(encoded[i], idBytes);
                        insert.ExecuteNonQuery();
                        tokens += encoded[i].Length;
                    }
                    transaction.Commit();
                    count += batch.Count;
                    batch.Clear();
                    progress?.Report(new PretokenizeProgress(count, tokens));
                }

                foreach (var document in documents)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    batch.Add(document);
                    if (batch.Count == BatchSize)
                        Flush();
                }
                if (batch.Count > 0)
                    Flush();

                long stored;
                using (var countCommand = connection.CreateCommand())
                {
                    countCommand.CommandText = "SELECT count(*) FROM tokens";
                    stored = (long)countCommand.ExecuteScalar()!;
                }
                using var metaInsert = connection.CreateCommand();
                metaInsert.CommandText = "INSERT INTO meta(key, value) VALUES ('format', $format), ('fingerprint', $fingerprint), " +
                                         "('documents', $documents), ('id_bytes', $idBytes), ('index_generation', $generation), ('text', 'title + \" \" + text, or text when the title is empty')";
                metaInsert.Parameters.AddWithValue("$format", FormatVersion);
                metaInsert.Parameters.AddWithValue("$fingerprint", tokenizer.Fingerprint);
                metaInsert.Parameters.AddWithValue("$documents", stored.ToString(CultureInfo.InvariantCulture));
                metaInsert.Parameters.AddWithValue("$idBytes", idBytes.ToString(CultureInfo.InvariantCulture));
                metaInsert.Parameters.AddWithValue("$generation", generation?.ToString(CultureInfo.InvariantCulture) ?? "");
                metaInsert.ExecuteNonQuery();
            }
            File.Move(temporary, path, overwrite: true);
            return path;
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>The stored ids of document <paramref name="documentId"/>; false when the document is not in the store.</summary>
    public bool TryGet(string documentId, out int[] ids)
    {
        ArgumentNullException.ThrowIfNull(documentId);
        byte[]? blob;
        lock (gate)
        {
            lookup.Parameters["$id"].Value = documentId;
            blob = lookup.ExecuteScalar() as byte[];
        }
        if (blob is null)
        {
            ids = [];
            return false;
        }
        if (blob.Length % idBytes != 0)
            throw new InvalidDataException($"{Path}: the ids of document '{documentId}' are {blob.Length} bytes, not a multiple of {idBytes}");
        ids = Unpack(blob, idBytes);
        return true;
    }

    public void Dispose()
    {
        lookup.Dispose();
        connection.Dispose();
    }

    private static byte[] Pack(int[] ids, int idBytes)
    {
        var blob = new byte[ids.Length * idBytes];
        for (int i = 0; i < ids.Length; i++)
        {
            if (idBytes == 2)
                BinaryPrimitives.WriteUInt16LittleEndian(blob.AsSpan(2 * i), (ushort)ids[i]);
            else
                BinaryPrimitives.WriteInt32LittleEndian(blob.AsSpan(4 * i), ids[i]);
        }
        return blob;
    }

    private static int[] Unpack(byte[] blob, int idBytes)
    {
        var ids = new int[blob.Length / idBytes];
        for (int i = 0; i < ids.Length; i++)
        {
            ids[i] = idBytes == 2
                ? BinaryPrimitives.ReadUInt16LittleEndian(blob.AsSpan(2 * i))
                : BinaryPrimitives.ReadInt32LittleEndian(blob.AsSpan(4 * i));
        }
        return ids;
    }

    /// <summary>
    /// The index's write generation (it grows with every document written or deleted); null when there is no readable
    /// index, which a store tied to a generation never matches.
    /// </summary>
    private static long? IndexGenerationOf(string indexDirectory)
    {
        try
        {
            using var searcher = Searcher.Open(indexDirectory);
            return searcher.GetStatistics().Generation;
        }
        catch (SearchException)
        {
            return null;
        }
    }

    private static SqliteConnection Connect(string path, SqliteOpenMode mode)
    {
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = mode,
            Pooling = false, // a pooled connection would keep the file open after Dispose, blocking rebuilds and cleanup
        };
        var connection = new SqliteConnection(builder.ToString());
        connection.Open();
        return connection;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
