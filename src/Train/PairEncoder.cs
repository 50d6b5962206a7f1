using System.Collections.Concurrent;
using SearchRerank.Core;
using SearchRerank.Rerank.Tokenization;
using SearchRerank.Train.Modeling;

namespace SearchRerank.Train;

/// <summary>
/// Turns (query, document id) pairs into the model's padded batches: <c>[CLS] q [SEP] d [SEP]</c> with
/// longest-first truncation at the stage's max length, plus exact-match flags when the model has that channel.
/// Documents are title + " " + text (as at inference), or the text alone for weak supervision, where the title is
/// the query. WordPiece ids are cached per query and document: tokenizing dominates a CPU step otherwise.
/// Thread-safe.
/// </summary>
public sealed class PairEncoder
{
    private readonly BertTokenizer tokenizer;
    private readonly Func<string, (string Title, string Text)?> document;
    private readonly ConcurrentDictionary<string, int[]> queries = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Id, bool TextOnly), int[]> documents = new();

    public PairEncoder(BertTokenizer tokenizer, Func<string, (string Title, string Text)?> document, bool exactMatch)
    {
        this.tokenizer = tokenizer;
        this.document = document;
        ExactMatch = exactMatch;
    }

    public bool ExactMatch { get; }

    public BertTokenizer Tokenizer => this.tokenizer;

    public PairEncoding Encode(string query, string docId, int maxLength, bool textOnly = false)
    {
        var queryIds = queries.GetOrAdd(query, this.tokenizer.Tokenize);
        var docIds = documents.GetOrAdd((docId, textOnly), key =>
        {
            var doc = this.document(key.Id) ?? throw new InvalidOperationException($"document '{key.Id}' is not in the index");
            return this.tokenizer.Tokenize(key.TextOnly ? doc.Text : CorpusDocument.TitleAndText(doc.Title, doc.Text));
        });
        return this.tokenizer.EncodePair(queryIds, docIds, maxLength);
    }

    /// <summary>Encodes and pads pairs into one batch (rows in the given order); TextOnly leaves a pair's title out.</summary>
    public EncodedBatch Batch(IReadOnlyList<(string Query, string DocId, bool TextOnly)> pairs, int maxLength)
    {
        var encodings = new PairEncoding[pairs.Count];
        Parallel.For(0, pairs.Count, i => encodings[i] = Encode(pairs[i].Query, pairs[i].DocId, maxLength, pairs[i].TextOnly));
        var flags = ExactMatch ? encodings.Select(e => Rerank.Tokenization.ExactMatch.Flags(e, this.tokenizer)).ToArray() : null;
        return EncodedBatch.Pad(encodings.Select(e => e.InputIds).ToArray(), encodings.Select(e => e.TokenTypeIds).ToArray(), flags);
    }
}
