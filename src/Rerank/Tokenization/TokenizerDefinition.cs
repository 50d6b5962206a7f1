// SearchRerank: everything a BERT WordPiece tokenizer is built from, whatever file it came from.
namespace SearchRerank.Rerank.Tokenization;

/// <summary>
/// The settings of a BERT tokenizer as read from <c>tokenizer.json</c> or <c>vocab.txt</c> + <c>tokenizer_config.json</c>.
/// <paramref name="Source"/> names the file(s), for error messages.
/// </summary>
internal sealed record TokenizerDefinition(
    string Source,
    Dictionary<string, int> Vocabulary,
    IReadOnlyList<AddedToken> AddedTokens,
    bool CleanText,
    bool HandleChineseChars,
    bool StripAccents,
    bool Lowercase,
    string UnknownToken,
    string ContinuingSubwordPrefix,
    int MaxInputCharsPerWord,
    string ClsToken,
    string SepToken,
    string PadToken);
