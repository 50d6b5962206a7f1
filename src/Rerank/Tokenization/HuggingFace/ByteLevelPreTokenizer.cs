// SearchRerank: tokenizer.json "ByteLevel" pre-tokenizer (GPT-2's word split).
using Microsoft.ML.Tokenizers;

namespace SearchRerank.Rerank.Tokenization.HuggingFace;

/// <summary>
/// GPT-2's split (<c>'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+</c>), after putting a
/// space in front of the piece when <c>add_prefix_space</c> and it does not start with one. The split is
/// Microsoft.ML.Tokenizers' <see cref="RobertaPreTokenizer"/>, exact against Hugging Face on the RoBERTa references;
/// the byte-to-character mapping is the BPE model's (<see cref="BpeModel"/>).
/// </summary>
internal sealed class ByteLevelPreTokenizer(bool addPrefixSpace) : IPreTokenizer
{
    public void Split(PreToken piece, List<PreToken> output)
    {
        string text = addPrefixSpace && !piece.Text.StartsWith(' ') ? " " + piece.Text : piece.Text;
        foreach (var (offset, length) in RobertaPreTokenizer.Instance.PreTokenize(text))
        {
            if (length > 0)
                output.Add(new PreToken(text.Substring(offset, length), piece.AtStart && offset == 0));
        }
    }

    public override string ToString() => $"ByteLevel(add_prefix_space={(addPrefixSpace ? "true" : "false")})";
}
