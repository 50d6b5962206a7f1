// SearchRerank: the WordPiece family through HuggingFaceTokenizer keeps the own BertTokenizer's exactness.
using System.Text.Json;
using SearchRerank.Rerank.Tokenization.HuggingFace;

namespace SearchRerank.Rerank.Tests.Tokenization.HuggingFace;

public sealed class WordPieceFamilyTests
{
    [Theory]
    [InlineData("tokenizer.json")]
    [InlineData("vocab.txt")]
    public void EveryBertReferencePairEqualsHuggingFace(string file)
    {
        string folder = Path.Combine(Path.GetTempPath(), "sr-wp-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            File.Copy(Path.Combine(SharedData.TinyModel, file), Path.Combine(folder, file));
            var tokenizer = HuggingFaceTokenizer.FromDirectory(folder);
            Assert.Equal("WordPiece", tokenizer.Family);
            Assert.Equal("[CLS] $A [SEP] $B:1 [SEP]:1", tokenizer.PairTemplate);
            Assert.True(tokenizer.UsesTokenTypeIds);
            int count = 0;
            var failures = new List<string>();
            foreach (string line in File.ReadLines(Path.Combine(SharedData.Reference, "tokenization.jsonl")))
            {
                var record = JsonDocument.Parse(line).RootElement;
                count++;
                var encoding = tokenizer.EncodePair(record.GetProperty("query").GetString()!, record.GetProperty("document").GetString()!,
                    record.GetProperty("max_length").GetInt32());
                var ids = record.GetProperty("input_ids").EnumerateArray().Select(e => e.GetInt32());
                var types = record.GetProperty("token_type_ids").EnumerateArray().Select(e => e.GetInt32());
                if (!encoding.InputIds.SequenceEqual(ids) || !encoding.TokenTypeIds.SequenceEqual(types)
                    || encoding.Truncated != record.GetProperty("truncated").GetBoolean())
                    failures.Add(record.GetProperty("id").GetString()!);
            }
            Assert.Equal(1060, count);
            Assert.True(failures.Count == 0, $"{failures.Count} records differ: {string.Join(", ", failures.Take(20))}");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
