// SearchRerank: unreadable or corrupt tokenizer files fail with the file (and line or field) in the message.
using SearchRerank.Core;
using SearchRerank.Rerank.Tokenization;

namespace SearchRerank.Rerank.Tests.Tokenization;

public sealed class TokenizerFileErrorTests
{
    private static readonly string[] MinimalVocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "a"];

    [Fact]
    public void DuplicateVocabularyTokenNamesFileAndLine()
    {
        using var dir = new TempDirectory();
        File.WriteAllLines(dir.File("vocab.txt"), [.. MinimalVocab, "b", "a"]);
        var error = Assert.Throws<DataFormatException>(() => BertTokenizer.FromDirectory(dir.Path));
        Assert.Equal(dir.File("vocab.txt"), error.Path);
        Assert.Equal(7, error.Line);
        Assert.Contains("duplicate token 'a' (first on line 5)", error.Message);
        Assert.StartsWith($"{dir.File("vocab.txt")}:7: ", error.Message);
    }

    [Fact]
    public void EmptyLineAndInvalidUtf8InVocabularyAreReportedWithTheirLine()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("vocab.txt"), "[PAD]\n[UNK]\n\n[CLS]\n");
        Assert.Equal(3, Assert.Throws<DataFormatException>(() => BertTokenizer.FromDirectory(dir.Path)).Line);

        File.WriteAllBytes(dir.File("vocab.txt"), [.. "[PAD]\n[UNK]\n"u8, 0xC3, 0x28, (byte)'\n']);
        var error = Assert.Throws<DataFormatException>(() => BertTokenizer.FromDirectory(dir.Path));
        Assert.Equal(3, error.Line);
        Assert.Contains("invalid UTF-8", error.Message);
    }

    [Fact]
    public void MissingSpecialTokenIsNamed()
    {
        using var dir = new TempDirectory();
        File.WriteAllLines(dir.File("vocab.txt"), ["[PAD]", "[CLS]", "[SEP]", "a"]);
        var error = Assert.Throws<DataFormatException>(() => BertTokenizer.FromDirectory(dir.Path));
        Assert.Contains("vocab.txt", error.Message);
        Assert.Contains("'[UNK]' is not in the vocabulary", error.Message);
    }

    [Fact]
    public void TruncatedTokenizerJsonNamesFileAndLine()
    {
        using var dir = new TempDirectory();
        string original = File.ReadAllText(Path.Combine(SharedData.TinyModel, "tokenizer.json"));
        File.WriteAllText(dir.File("tokenizer.json"), original[..(original.Length / 2)]);
        var error = Assert.Throws<DataFormatException>(() => BertTokenizer.FromDirectory(dir.Path));
        Assert.Equal(dir.File("tokenizer.json"), error.Path);
        Assert.True(error.Line > 1, error.Message);
        Assert.Contains("invalid JSON", error.Message);
    }

    [Theory]
    [InlineData("\"model\": {\n    \"type\": \"WordPiece\"", "\"model\": {\n    \"type\": \"BPE\"", "model.type: only WordPiece is supported, got 'BPE'")]
    [InlineData("\"type\": \"BertPreTokenizer\"", "\"type\": \"Whitespace\"", "pre_tokenizer.type: only BertPreTokenizer is supported")]
    [InlineData("\"lowercase\": true", "\"lowercase\": \"yes\"", "normalizer.lowercase: expected true, false or null, got a string")]
    [InlineData("\"[unused0]\": 1,", "\"[unused0]\": 0,", "model.vocab: id 0 is used by both '[PAD]' and '[unused0]'")]
    [InlineData("\"[unused0]\": 1,", "\"[unused0]\": -1,", "model.vocab.[unused0]: expected a non-negative integer id")]
    [InlineData("\"unk_token\": \"[UNK]\"", "\"unk_token\": \"[NOPE]\"", "the unknown token '[NOPE]' is not in the vocabulary")]
    public void MalformedTokenizerJsonFieldsAreNamed(string find, string replace, string expected)
    {
        using var dir = new TempDirectory();
        string original = File.ReadAllText(Path.Combine(SharedData.TinyModel, "tokenizer.json"));
        Assert.Contains(find, original);
        int at = original.IndexOf(find, StringComparison.Ordinal);
        File.WriteAllText(dir.File("tokenizer.json"), original[..at] + replace + original[(at + find.Length)..]);
        var error = Assert.Throws<DataFormatException>(() => BertTokenizer.FromDirectory(dir.Path));
        Assert.Contains(dir.File("tokenizer.json"), error.Message);
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void MalformedTokenizerConfigIsNamed()
    {
        using var dir = new TempDirectory();
        File.WriteAllLines(dir.File("vocab.txt"), MinimalVocab);
        File.WriteAllText(dir.File("tokenizer_config.json"), """{"do_lower_case": 1}""");
        var error = Assert.Throws<DataFormatException>(() => BertTokenizer.FromDirectory(dir.Path));
        Assert.Contains("tokenizer_config.json: do_lower_case: expected true, false or null", error.Message);
    }

    [Fact]
    public void DirectoryWithoutTokenizerFilesIsNamed()
    {
        using var dir = new TempDirectory();
        var error = Assert.Throws<DataFormatException>(() => BertTokenizer.FromDirectory(dir.Path));
        Assert.Contains(dir.Path, error.Message);
        Assert.Contains("no tokenizer.json or vocab.txt", error.Message);
    }
}
