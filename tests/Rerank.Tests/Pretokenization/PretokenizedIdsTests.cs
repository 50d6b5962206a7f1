using Lucene.Net.Util;
using SearchRerank.Rerank.Pretokenization;

namespace SearchRerank.Rerank.Tests.Pretokenization;

public class PretokenizedIdsTests
{
    [Fact]
    public void IdsRoundTripInTwoBytesWhenTheyFitAndFourOtherwise()
    {
        var small = PretokenizedIds.Encode("abc", [0, 101, 65_535]);
        var large = PretokenizedIds.Encode("abc", [70_003, 5, 65_540]);
        Assert.Equal(3 + 3 + 3 * 2, small.Length);
        Assert.Equal(3 + 3 + 3 * 4, large.Length);
        Assert.True(PretokenizedIds.TryDecode(small, "abc", out var a));
        Assert.Equal([0, 101, 65_535], a);
        Assert.True(PretokenizedIds.TryDecode(large, "abc", out var b));
        Assert.Equal([70_003, 5, 65_540], b);
        Assert.True(PretokenizedIds.TryDecode(PretokenizedIds.Encode("abc", []), "abc", out var none));
        Assert.Empty(none);
    }

    [Fact]
    public void IdsOfAnotherTokenizerOrAnEmptyValueAreNeverServed()
    {
        var value = PretokenizedIds.Encode("fingerprint-1", [1, 2, 3]);
        Assert.False(PretokenizedIds.TryDecode(value, "fingerprint-2", out var ids));
        Assert.Empty(ids);
        Assert.False(PretokenizedIds.TryDecode(new BytesRef(), "fingerprint-1", out _));
        Assert.Equal("fingerprint-1", PretokenizedIds.FingerprintOf(value));
        Assert.Null(PretokenizedIds.FingerprintOf(new BytesRef()));
    }

    [Fact]
    public void ATruncatedValueIsReportedNotMisread()
    {
        var value = PretokenizedIds.Encode("fp", [1, 2, 3]);
        var cut = new BytesRef(value.Bytes, value.Offset, value.Length - 1);
        Assert.Throws<InvalidDataException>(() => PretokenizedIds.TryDecode(cut, "fp", out _));
    }

    [Fact]
    public void NegativeIdsAndOverlongFingerprintsAreRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => PretokenizedIds.Encode("fp", [-1]));
        Assert.Throws<ArgumentException>(() => PretokenizedIds.Encode(new string('f', 300), [1]));
    }
}
