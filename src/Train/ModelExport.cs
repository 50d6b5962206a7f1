using SearchRerank.Train.Validation;

namespace SearchRerank.Train;

/// <summary>
/// The run's last step: a final validation of the trained model, the fusion weight α tuned on it, and the model
/// folder (<see cref="ModelFolder"/>) that the re-ranker loads.
/// </summary>
internal static class ModelExport
{
    public static (double? Ndcg, FusionResult? Fusion) Write(TrainingSession session)
    {
        session.Report("exporting", session.Recipe.Stages.Count - 1, 0, 0, 0, 0, null);
        FusionResult? fusion = null;
        double? ndcg = null;
        if (session.Validator is { } validator)
        {
            var result = validator.Evaluate(session.Score, session.Cancellation);
            fusion = validator.TuneFusion(result);
            ndcg = result.ModelNdcg;
            session.Log.Fusion(fusion);
        }
        var weights = session.Model.Weights();
        NonFinite.Require(weights, "final weights");
        // Re-ranking scores at the longest length any stage trained at (validation scored at it too).
        ModelFolder.Write(session.Inputs.OutputDirectory, session.Config, weights, session.Recipe.Model.Tokenizer,
            session.Recipe.Stages.Max(s => s.MaxLength), fusion?.Alpha ?? session.Recipe.Validation.UnvalidatedAlpha,
            SearchRerank.Search.CollectionFingerprint.Of(session.Searcher));
        return (ndcg, fusion);
    }
}
