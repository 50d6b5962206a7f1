
namespace SearchRerank.Core.Tests;

public class DataFormatExceptionTests
{
    [Fact]
    public void MessageStartsWithLocation()
    {
        Assert.Equal("a.tsv:12: bad", new DataFormatException("a.tsv", 12, "bad").Message);
        Assert.Equal("a.tsv: bad", new DataFormatException("a.tsv", 0, "bad").Message);
    }
}
