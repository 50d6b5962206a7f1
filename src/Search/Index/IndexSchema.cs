using System.Globalization;
using Microsoft.Data.Sqlite;

namespace SearchRerank.Search.Index;

/// <summary>
/// Layout of an index directory: one SQLite database in WAL mode plus a lock file for the single writer.
/// <list type="bullet">
/// <item><c>docs</c>: external id, raw title and text, and the analyzed length of each field (BM25's dl).</item>
/// <item><c>terms</c>: contentless FTS5 table over the already analyzed terms (title, text columns), so FTS5's
/// tokenizer only splits on spaces; <c>contentless_delete=1</c> lets updates and deletes work by rowid.</item>
/// <item><c>terms_instance</c>/<c>terms_row</c>: fts5vocab views giving per-document term occurrences and document
/// frequencies, from which <see cref="Searcher"/> computes BM25 with any k1 and b.</item>
/// <item><c>stats</c>: N and summed field lengths (for avgdl) plus a generation counter bumped by every commit,
/// so searchers know when their cached lengths are stale.</item>
/// <item><c>meta</c>: format version, analyzer name and the default k1/b chosen at index time.</item>
/// </list>
/// </summary>
internal static class IndexSchema
{
    public const string DatabaseFile = "index.sqlite";
    public const string LockFile = "write.lock";
    public const int FormatVersion = 1;

    // Terms hold letters, digits and the joiners StandardTokenizer keeps inside words; everything else is a separator.
    private const string Tokenize = "ascii tokenchars '.:,;_'''";

    public static readonly string[] CreateStatements =
    [
        "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID",
        "CREATE TABLE docs(rowid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, title TEXT NOT NULL, text TEXT NOT NULL, "
            + "title_length INTEGER NOT NULL, text_length INTEGER NOT NULL)",
        $"CREATE VIRTUAL TABLE terms USING fts5(title, text, content='', contentless_delete=1, detail=full, tokenize=\"{Tokenize}\")",
        "CREATE VIRTUAL TABLE terms_instance USING fts5vocab(terms, instance)",
        "CREATE VIRTUAL TABLE terms_row USING fts5vocab(terms, row)",
        "CREATE TABLE stats(id INTEGER PRIMARY KEY CHECK (id = 1), doc_count INTEGER NOT NULL, "
            + "title_length_sum INTEGER NOT NULL, text_length_sum INTEGER NOT NULL, generation INTEGER NOT NULL)",
        "INSERT INTO stats VALUES (1, 0, 0, 0, 0)",
    ];

    public static string DatabasePath(string directory) => Path.Combine(directory, DatabaseFile);

    public static SqliteConnection Open(string directory, bool readOnly)
    {
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = DatabasePath(directory),
            Mode = readOnly ? SqliteOpenMode.ReadOnly : SqliteOpenMode.ReadWriteCreate,
            // Pooled connections would keep the files open after Dispose; an index directory must be deletable.
            Pooling = false,
            DefaultTimeout = 0,
        };
        var connection = new SqliteConnection(builder.ToString());
        connection.Open();
        // A reader must never wait on the writer (WAL gives it a snapshot); a second writer fails at once.
        Execute(connection, "PRAGMA busy_timeout = 0");
        return connection;
    }

    public static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public static Dictionary<string, string> ReadMeta(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT key, value FROM meta";
        using var reader = command.ExecuteReader();
        var meta = new Dictionary<string, string>(StringComparer.Ordinal);
        while (reader.Read())
            meta[reader.GetString(0)] = reader.GetString(1);
        return meta;
    }

    public static IndexMetadata ReadMetadata(SqliteConnection connection, string directory)
    {
        Dictionary<string, string> meta;
        try
        {
            meta = ReadMeta(connection);
        }
        catch (SqliteException ex)
        {
            throw new SearchException($"{directory}: not a SearchRerank index ({ex.Message})", ex);
        }
        string Get(string key) => meta.TryGetValue(key, out var value)
            ? value
            : throw new SearchException($"{directory}: index metadata lacks '{key}'");
        var version = int.Parse(Get("format"), CultureInfo.InvariantCulture);
        if (version != FormatVersion)
            throw new SearchException($"{directory}: index format {version} is not supported (expected {FormatVersion}); rebuild the index");
        return new IndexMetadata(
            Get("analyzer"),
            double.Parse(Get("k1"), CultureInfo.InvariantCulture),
            double.Parse(Get("b"), CultureInfo.InvariantCulture));
    }

    public static void WriteMetadata(SqliteConnection connection, IndexMetadata metadata)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO meta(key, value) VALUES ($key, $value) ON CONFLICT(key) DO UPDATE SET value = excluded.value";
        var key = command.Parameters.Add("$key", SqliteType.Text);
        var value = command.Parameters.Add("$value", SqliteType.Text);
        foreach (var (k, v) in new[]
                 {
                     ("format", FormatVersion.ToString(CultureInfo.InvariantCulture)),
                     ("analyzer", metadata.Analyzer),
                     ("k1", metadata.K1.ToString("R", CultureInfo.InvariantCulture)),
                     ("b", metadata.B.ToString("R", CultureInfo.InvariantCulture)),
                 })
        {
            key.Value = k;
            value.Value = v;
            command.ExecuteNonQuery();
        }
    }
}
