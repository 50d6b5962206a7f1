// SearchRerank: tokenizer.json "NFC", "NFD", "NFKC", "NFKD".
using SearchRerank.Rerank.Tokenization.Unicode;

namespace SearchRerank.Rerank.Tokenization.HuggingFace;

/// <summary>
/// A Unicode normalization form on the project's own Unicode 14.0 tables (<see cref="UnicodeNormalization"/>), since
/// .NET's string.Normalize does nothing to non-ASCII text under InvariantGlobalization. Hugging Face uses the
/// unicode-normalization crate, whose newer tables can differ on characters assigned after Unicode 14.0.
/// </summary>
internal sealed class UnicodeNormalizer(string form) : INormalizer
{
    private readonly bool compatibility = form is "NFKC" or "NFKD";
    private readonly bool compose = form is "NFC" or "NFKC";

    public string Normalize(string text) => UnicodeNormalization.Normalize(text, compatibility, compose);

    public override string ToString() => form;
}
