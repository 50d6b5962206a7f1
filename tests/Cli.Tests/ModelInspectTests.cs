namespace SearchRerank.Cli.Tests;

/// <summary><c>searchrerank model inspect</c>: what a folder is, and one clear error when it cannot be scored with.</summary>
public sealed class ModelInspectTests : IDisposable
{
    private readonly TempDirectory temp = new();

    public void Dispose() => temp.Dispose();

    [Fact]
    public void ALoadableFolderIsDescribed()
    {
        var result = CliRunner.Run(temp.Path, "model", "inspect", "--model", CliRunner.SharedPath("reference", "tiny-bert-ce"));
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("tokenizer: WordPiece from tokenizer.json: BertNormalizer | BertPreTokenizer | WordPiece", result.Stdout);
        Assert.Contains("template: [CLS] $A [SEP] / [CLS] $A [SEP] $B:1 [SEP]:1 (TemplateProcessing)", result.Stdout);
        Assert.Contains("inputs: input_ids, attention_mask, token_type_ids", result.Stdout);
        Assert.Contains("score: the raw logit (one label)", result.Stdout);
        Assert.Contains("max length: 512 tokens, as", result.Stdout);
        Assert.Contains("loads: yes", result.Stdout);
    }

    [Fact]
    public void AFolderWithATokenizerButNoModelSaysWhatIsMissing()
    {
        string folder = temp.Combine("unigram");
        Directory.CreateDirectory(folder);
        File.Copy(CliRunner.SharedPath("reference", "tokenizers", "t5-small", "tokenizer.json"), Path.Combine(folder, "tokenizer.json"));
        var result = CliRunner.Run(temp.Path, "model", "inspect", "--model", folder);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("tokenizer: Unigram from tokenizer.json: Precompiled | Sequence[WhitespaceSplit, Metaspace(▁,prepend=always,split=true)] | Unigram", result.Stdout);
        Assert.Contains("template: $A </s> / $A </s> $B </s> (TemplateProcessing)", result.Stdout);
        Assert.Contains("loads: no", result.Stdout);
        Assert.Contains("error: ", result.Stderr);
        Assert.Contains("no model.onnx or onnx/model.onnx", result.Stderr);
    }
}
