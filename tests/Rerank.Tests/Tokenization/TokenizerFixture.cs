// SearchRerank: the reference tokenizer loaded both ways, shared by the tokenization tests.
using SearchRerank.Rerank.Tokenization;

namespace SearchRerank.Rerank.Tests.Tokenization;

/// <summary>Loads the tiny model's tokenizer once from tokenizer.json and once from vocab.txt + tokenizer_config.json.</summary>
public sealed class TokenizerFixture
{
    internal BertTokenizer FromJson { get; } = BertTokenizer.FromTokenizerJson(Path.Combine(SharedData.TinyModel, "tokenizer.json"));

    internal BertTokenizer FromVocab { get; } = BertTokenizer.FromVocabulary(
        Path.Combine(SharedData.TinyModel, "vocab.txt"), Path.Combine(SharedData.TinyModel, "tokenizer_config.json"));

    internal BertTokenizer Get(string source) => source switch
    {
        "tokenizer.json" => FromJson,
        "vocab.txt" => FromVocab,
        _ => throw new ArgumentOutOfRangeException(nameof(source), source, null),
    };
}
