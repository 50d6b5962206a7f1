using SearchRerank.Core;
using SearchRerank.Search.Index;

namespace SearchRerank.Search.Tests;

/// <summary>A damaged index file gives one message that says so and points at CheckIndex, never Lucene's bare exception.</summary>
public class IndexDamageTests
{
    [Fact]
    public void GarbledStoredFieldsSayTheIndexIsDamagedAndPointAtTheCheck()
    {
        var documents = Enumerable.Range(0, 3000).Select(i => new CorpusDocument($"d{i}", $"title {i}",
            string.Join(' ', Enumerable.Range(0, 40).Select(j => $"word{(i * 7 + j * 13) % 997}")))).ToArray();
        using var dir = SearcherTests.Build(documents);
        using (var writer = Indexer.Open(dir.Path))
            writer.Optimize();
        var storedFields = Directory.GetFiles(dir.Path, "*.fdt").Single();
        var bytes = File.ReadAllBytes(storedFields);
        for (var i = 1000; i < bytes.Length - 100; i += 997)
            bytes[i] ^= 0x5A;
        File.WriteAllBytes(storedFields, bytes);

        using var searcher = Searcher.Open(dir.Path);
        var error = Assert.Throws<SearchException>(() => searcher.Documents().ToList());
        Assert.StartsWith($"index {dir.Path} is damaged: reading the stored fields of document ", error.Message);
        Assert.EndsWith($"'searchrerank stats --index {dir.Path} --check' tells which segments, and the index needs rebuilding", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }
}
