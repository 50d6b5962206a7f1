// SearchRerank: tokenizer.json "BPE" model, run by Microsoft.ML.Tokenizers.
using Microsoft.ML.Tokenizers;

namespace SearchRerank.Rerank.Tokenization.HuggingFace;

/// <summary>
/// Byte-pair encoding of one word by Microsoft.ML.Tokenizers' <see cref="BpeTokenizer"/>: with <c>byteLevel</c> the
/// word's UTF-8 bytes are first mapped to GPT-2's printable characters (Ġ for a space), as the ByteLevel pre-tokenizer
/// does in Hugging Face. Its merge order (lowest rank first, leftmost on a tie) gives Hugging Face's ids on every
/// RoBERTa reference record, so it is used as is; pre-tokenization, added tokens, templates and truncation are ours.
/// Thread-safe (the library's word cache is concurrent).
/// </summary>
internal sealed class BpeModel : ITokenModel
{
    private readonly BpeTokenizer bpe;

    public BpeModel(IReadOnlyDictionary<string, int> vocabulary, IReadOnlyList<string> merges, bool byteLevel, string? unknownToken,
        string? continuingSubwordPrefix, string? endOfWordSuffix, bool fuseUnknown)
    {
        bpe = BpeTokenizer.Create(new BpeOptions(vocabulary)
        {
            Merges = merges,
            ByteLevel = byteLevel,
            UnknownToken = unknownToken,
            ContinuingSubwordPrefix = string.IsNullOrEmpty(continuingSubwordPrefix) ? null : continuingSubwordPrefix,
            EndOfWordSuffix = string.IsNullOrEmpty(endOfWordSuffix) ? null : endOfWordSuffix,
            FuseUnknownTokens = fuseUnknown,
        });
        ByteLevel = byteLevel;
    }

    public bool ByteLevel { get; }

    public void Encode(string word, List<int> ids) =>
        ids.AddRange(bpe.EncodeToIds(word, considerPreTokenization: false, considerNormalization: false));

    public string Decode(IReadOnlyList<int> ids) => bpe.Decode(ids);

    public override string ToString() => ByteLevel ? "BPE(byte-level)" : "BPE";
}
