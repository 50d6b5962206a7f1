// SearchRerank: the "model" of a Hugging Face tokenizer.json (WordPiece, BPE, Unigram).
namespace SearchRerank.Rerank.Tokenization.HuggingFace;

/// <summary>Turns one pre-tokenized word into token ids. Immutable and thread-safe.</summary>
internal interface ITokenModel
{
    /// <summary>Appends the ids of <paramref name="word"/> (non-empty) to <paramref name="ids"/>.</summary>
    void Encode(string word, List<int> ids);

    /// <summary>The text of consecutive model tokens, as the model's decoder joins them.</summary>
    string Decode(IReadOnlyList<int> ids);
}
