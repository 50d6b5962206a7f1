// SearchRerank: tokenizer.json "Unigram" model (SentencePiece unigram language model).
using System.Text;

namespace SearchRerank.Rerank.Tokenization.HuggingFace;

/// <summary>
/// The most likely segmentation of a word into vocabulary pieces (Viterbi over piece log-probabilities; Kudo 2018,
/// "Subword Regularization"), exactly as Hugging Face's <c>Unigram::encode_optimized</c>: positions are visited left to
/// right, pieces starting there shortest first, and a candidate replaces the best path ending at the same position only
/// when its score is strictly higher (so the first one found wins a tie). A code point that starts no piece of its own
/// length becomes the unknown token with score min − 10, and consecutive unknown pieces are fused into one. Each piece
/// string is then looked up again: a fused run that is not in the vocabulary is the unknown id, or with
/// <c>byte_fallback</c> its UTF-8 bytes as &lt;0xXX&gt; tokens when all exist. Immutable, thread-safe.
/// </summary>
internal sealed class UnigramModel : ITokenModel
{
    private const double UnknownPenalty = 10.0;

    private readonly string[] pieces;
    private readonly double[] scores;
    private readonly Dictionary<string, int> ids;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> spanIds;

    /// <summary>Every prefix of every piece → the piece's id, or -1 for a prefix that is no piece: the search from a
    /// position stops at the first length that starts no piece, as a trie's common-prefix search does.</summary>
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> prefixes;
    private readonly double unknownScore;
    private readonly int unknownId;
    private readonly bool byteFallback;

    /// <param name="vocabulary">(piece, log-probability) in id order; a piece listed twice keeps its last id, as in Hugging Face.</param>
    public UnigramModel(IReadOnlyList<(string Piece, double Score)> vocabulary, int unknownId, bool byteFallback)
    {
        pieces = vocabulary.Select(v => v.Piece).ToArray();
        scores = vocabulary.Select(v => v.Score).ToArray();
        ids = new Dictionary<string, int>(pieces.Length, StringComparer.Ordinal);
        for (int id = 0; id < pieces.Length; id++)
            ids[pieces[id]] = id;
        spanIds = ids.GetAlternateLookup<ReadOnlySpan<char>>();
        var prefixIds = new Dictionary<string, int>(ids, StringComparer.Ordinal);
        foreach (string piece in ids.Keys)
        {
            for (int length = 1; length < piece.Length; length++)
                prefixIds.TryAdd(piece[..length], -1);
        }
        prefixes = prefixIds.GetAlternateLookup<ReadOnlySpan<char>>();
        unknownScore = (scores.Length == 0 ? 0 : scores.Min()) - UnknownPenalty;
        this.unknownId = unknownId;
        this.byteFallback = byteFallback;
    }

    public void Encode(string word, List<int> output)
    {
        int n = word.Length;
        var bestScore = new double[n + 1];
        var startsAt = new int[n + 1];
        var nodeId = new int[n + 1];
        startsAt.AsSpan().Fill(-1);
        int start = 0;
        while (start < n)
        {
            RustChars.CodePointAt(word, start, out int charLength);
            double tillHere = bestScore[start];
            bool hasSingle = false;
            for (int length = 1; start + length <= n; length++)
            {
                if (!prefixes.TryGetValue(word.AsSpan(start, length), out int id))
                    break;
                if (id < 0)
                    continue;
                Relax(start + length, scores[id] + tillHere, start, id);
                if (length == charLength)
                    hasSingle = true;
            }
            if (!hasSingle)
                Relax(start + charLength, unknownScore + tillHere, start, unknownId);
            start += charLength;
        }

        var found = new List<(int Start, int End)>();
        int end = n, unknownEnd = -1, unknownStart = -1;
        while (end > 0)
        {
            int from = startsAt[end];
            if (nodeId[end] == unknownId)
            {
                if (unknownEnd < 0)
                    unknownEnd = end;
                unknownStart = from;
            }
            else
            {
                if (unknownEnd >= 0)
                    found.Add((unknownStart, unknownEnd));
                unknownEnd = -1;
                found.Add((from, end));
            }
            end = from;
        }
        if (unknownEnd >= 0)
            found.Add((unknownStart, unknownEnd));
        for (int i = found.Count - 1; i >= 0; i--)
            AddPiece(word.AsSpan(found[i].Start, found[i].End - found[i].Start), output);

        void Relax(int target, double score, int from, int id)
        {
            if (startsAt[target] < 0 || score > bestScore[target])
            {
                bestScore[target] = score;
                startsAt[target] = from;
                nodeId[target] = id;
            }
        }
    }

    private void AddPiece(ReadOnlySpan<char> piece, List<int> output)
    {
        if (spanIds.TryGetValue(piece, out int id))
        {
            output.Add(id);
            return;
        }
        if (byteFallback)
        {
            var bytes = Encoding.UTF8.GetBytes(piece.ToString());
            var byteIds = new int[bytes.Length];
            bool all = true;
            for (int i = 0; i < bytes.Length && all; i++)
                all = ids.TryGetValue($"<0x{bytes[i]:X2}>", out byteIds[i]);
            if (all)
            {
                output.AddRange(byteIds);
                return;
            }
        }
        output.Add(unknownId);
    }

    public string Decode(IReadOnlyList<int> tokenIds)
    {
        var text = new StringBuilder();
        foreach (int id in tokenIds)
            text.Append((uint)id < (uint)pieces.Length ? pieces[id] : "");
        return text.ToString();
    }

    public override string ToString() => "Unigram";
}
