using SearchRerank.Search;

namespace SearchRerank.Rerank.Tests;

public sealed class FusionChoiceTests : IDisposable
{
    private static readonly CollectionFingerprint SciFact = new(5183, "00112233445566aa");
    private static readonly CollectionFingerprint Cranfield = new(1400, "ffeeddccbbaa9988");

    private readonly TempDirectory dir = new();

    public void Dispose() => dir.Dispose();

    private void Fusion(string json) => File.WriteAllText(Path.Combine(dir.Path, ScoreFusion.FileName), json);

    [Fact]
    public void OnTheTrainingCollectionTheRecordedAlphaIsKept()
    {
        Fusion("""{"alpha": 0.35, "normalization": "zscore", "collection": {"documents": 5183, "fingerprint": "00112233445566aa"}}""");
        var (fusion, reason) = FusionChoice.For(dir.Path, SciFact);
        Assert.Equal(new ScoreFusion(0.35), fusion);
        Assert.Contains("for this collection (5,183 documents, fingerprint 00112233445566aa)", reason);
    }

    [Fact]
    public void OnAnotherCollectionTheOffDomainAlphaIsUsedAndTheReasonSaysWhy()
    {
        Fusion("""{"alpha": 0.35, "normalization": "zscore", "collection": {"documents": 5183, "fingerprint": "00112233445566aa"}}""");
        var (fusion, reason) = FusionChoice.For(dir.Path, Cranfield);
        Assert.Equal(new ScoreFusion(ScoreFusion.OffDomainAlpha), fusion);
        Assert.Equal(0.7, ScoreFusion.OffDomainAlpha);
        Assert.Contains("not the in-domain alpha 0.35", reason);
        Assert.Contains("trained on another collection (5,183 documents, fingerprint 00112233445566aa; this index: 1,400 documents, fingerprint ffeeddccbbaa9988)", reason);
    }

    [Fact]
    public void AFusionFileWithoutCollectionKeepsItsAlphaAndNoFileMeansNoFusion()
    {
        Assert.Null(FusionChoice.For(dir.Path, Cranfield).Fusion);
        Fusion("""{"alpha": 0.35, "normalization": "zscore"}""");
        var (fusion, reason) = FusionChoice.For(dir.Path, Cranfield);
        Assert.Equal(new ScoreFusion(0.35), fusion);
        Assert.Contains("names no training collection", reason);
    }

    [Fact]
    public void AMalformedCollectionIsNamed()
    {
        Fusion("""{"alpha": 0.35, "collection": {"documents": "many"}}""");
        var ex = Assert.Throws<InvalidDataException>(() => FusionChoice.For(dir.Path, SciFact));
        Assert.Contains("fusion.json: field 'collection' must be", ex.Message);
    }
}
