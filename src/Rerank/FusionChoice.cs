using System.Globalization;
using SearchRerank.Search;

namespace SearchRerank.Rerank;

/// <summary>
/// The fusion a model gets by default on an index, and why. A model tuned its α on the collection it was trained on;
/// on another collection that α can fall below BM25, so there the measured safe <see cref="ScoreFusion.OffDomainAlpha"/>
/// is used instead. A fusion.json that names no training collection (models trained before it was recorded) keeps its
/// α; a folder without fusion.json is not fused.
/// </summary>
public static class FusionChoice
{
    /// <param name="searched">The collection being re-ranked (<see cref="CollectionFingerprint.Of"/>).</param>
    /// <exception cref="InvalidDataException">fusion.json is malformed; the message names it.</exception>
    public static (ScoreFusion? Fusion, string Reason) For(string modelDirectory, CollectionFingerprint searched)
    {
        var path = Path.Combine(modelDirectory, ScoreFusion.FileName);
        var recorded = ScoreFusion.FromModelDirectory(modelDirectory);
        if (recorded is null)
            return (null, $"no fusion: {modelDirectory} has no {ScoreFusion.FileName}");
        var trainedOn = ScoreFusion.TrainedOn(modelDirectory);
        if (trainedOn is null)
            return (recorded, $"fusion {recorded}, as {path} records (it names no training collection)");
        if (trainedOn == searched)
            return (recorded, $"fusion {recorded}, as {path} records for this collection ({searched})");
        var offDomain = new ScoreFusion(ScoreFusion.OffDomainAlpha);
        return (offDomain, string.Create(CultureInfo.InvariantCulture,
            $"fusion {offDomain}, the weight measured safe off-domain, not the in-domain alpha {recorded.Alpha:0.###} of {path}: "
            + $"the model was trained on another collection ({trainedOn}; this index: {searched}); --fusion-alpha overrides"));
    }
}
