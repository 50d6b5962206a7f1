using SearchRerank.Core;
using SearchRerank.Eval;
using SearchRerank.Search;
using SearchRerank.Train.Recipes;
using SearchRerank.Train.Sampling;
using SearchRerank.Train.Validation;

namespace SearchRerank.Train;

/// <summary>
/// The judged training queries split by seed: <see cref="ValidationSpec.HeldOut"/> of them are held out for validation
/// and never trained on (in any stage), the rest train. Queries without a relevant judgment take no part.
/// </summary>
internal sealed class QuerySplit
{
    internal QuerySplit(IReadOnlyList<Topic> training, IReadOnlyList<Topic> validation)
    {
        Training = training;
        Validation = validation;
        ValidationIds = validation.Select(q => q.Id).ToHashSet(StringComparer.Ordinal);
    }

    public IReadOnlyList<Topic> Training { get; }

    public IReadOnlyList<Topic> Validation { get; }

    public IReadOnlySet<string> ValidationIds { get; }

    /// <summary>A label-free run's split: nothing to train on by query, nothing held out.</summary>
    public static QuerySplit Unlabelled { get; } = new([], []);

    public static QuerySplit Create(TrainingRecipe recipe, TrainingInputs inputs, IReadOnlyDictionary<string, Topic> queries, Qrels qrels, Searcher searcher)
    {
        string qrelsPath = inputs.QrelsPath!;
        RequireJudgedInIndex(qrels, qrelsPath, searcher, inputs.IndexDirectory);
        var judged = qrels.QueryIds.Where(id => qrels.RelevantCount(id) > 0).Order(StringComparer.Ordinal).ToArray();
        var withoutText = judged.Where(id => !queries.ContainsKey(id)).ToArray();
        if (withoutText.Length > 0)
            throw new TrainingException($"{qrelsPath}: {withoutText.Length} judged queries have no text in {inputs.QueriesPath}, e.g. {string.Join(", ", withoutText.Take(5))}");
        if (judged.Length == 0)
            throw new TrainingException($"{qrelsPath}: no query has a relevant (grade ≥ 1) judgment");
        int held = recipe.Validation.HeldOut(judged.Length);
        if (held >= judged.Length && recipe.Stages.Any(s => s.Data.Source is not (DataSource.Weak or DataSource.Documents)))
            throw new TrainingException($"{recipe.Path}: validation_queries holds out all {judged.Length} judged queries; nothing is left to train on");
        var heldOut = HeldOut(judged, qrels, held, recipe.Seed, recipe.Validation.Split);
        var validation = judged.Where(heldOut.Contains).Select(id => queries[id]).ToArray();
        var training = judged.Where(id => !heldOut.Contains(id)).Select(id => queries[id]).ToArray();
        return new QuerySplit(training, validation);
    }

    /// <summary>The <paramref name="held"/> query ids of <paramref name="judged"/> (in ordinal order) to hold out, drawn by seed.</summary>
    internal static IReadOnlySet<string> HeldOut(IReadOnlyList<string> judged, Qrels qrels, int held, long seed, ValidationSplit split)
    {
        var order = judged.ToArray();
        SplitMix64.For(seed, 0x5A11D).Shuffle(order);
        if (split == ValidationSplit.Random)
            return order.Take(held).ToHashSet(StringComparer.Ordinal);
        // One shuffle for both strata, so that each stratum's draw is the random split's order restricted to it.
        var sharing = SharingAPositive(judged, qrels);
        var shared = order.Where(sharing.Contains).ToArray();
        var unshared = order.Where(id => !sharing.Contains(id)).ToArray();
        int fromShared = (int)Math.Round((double)held * shared.Length / order.Length, MidpointRounding.AwayFromZero);
        return shared.Take(fromShared).Concat(unshared.Take(held - fromShared)).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>
    /// How many held-out queries have a relevant document that is also relevant to a training query: the queries a
    /// learned document prior flatters (logged, so a split's lean shows next to its validation scores).
    /// </summary>
    public int ValidationSharingATrainingPositive(Qrels qrels)
    {
        var trainingPositives = Training.SelectMany(q => qrels.RelevantDocuments(q.Id)).ToHashSet(StringComparer.Ordinal);
        return Validation.Count(q => qrels.RelevantDocuments(q.Id).Any(trainingPositives.Contains));
    }

    /// <summary>The queries with a relevant document that is also relevant to another of <paramref name="judged"/>.</summary>
    private static HashSet<string> SharingAPositive(IReadOnlyList<string> judged, Qrels qrels)
    {
        var relevant = judged.ToDictionary(id => id, id => qrels.RelevantDocuments(id).ToArray(), StringComparer.Ordinal);
        var queriesPerDocument = relevant.Values.SelectMany(docs => docs).CountBy(doc => doc, StringComparer.Ordinal)
            .ToDictionary(c => c.Key, c => c.Value, StringComparer.Ordinal);
        return judged.Where(id => relevant[id].Any(doc => queriesPerDocument[doc] > 1)).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>The validator over the held-out queries' first-stage top <see cref="ValidationSpec.Depth"/>, or null when none are held out.</summary>
    public Validator? Validator(Searcher searcher, Qrels qrels, ValidationSpec spec, CancellationToken cancellation)
    {
        if (Validation.Count == 0)
            return null;
        var mined = new ValidationQuery[Validation.Count];
        Parallel.For(0, Validation.Count, new ParallelOptions { CancellationToken = cancellation }, i =>
        {
            var hits = searcher.Search(Validation[i].Text, spec.Depth);
            mined[i] = new ValidationQuery(Validation[i].Id, Validation[i].Text, hits.Select((h, r) => new Candidate(h.DocId, r + 1, h.Score)).ToArray());
        });
        return new Validator(mined, qrels, spec.AlphaSelection);
    }

    /// <summary>Every judged document must be in the index: judgments from another corpus would silently train on nothing.</summary>
    public static void RequireJudgedInIndex(Qrels qrels, string path, Searcher searcher, string indexDirectory)
    {
        var absent = qrels.QueryIds.SelectMany(q => qrels.Judgments(q).Keys).Distinct(StringComparer.Ordinal)
            .Where(d => searcher.GetDocument(d) is null).Order(StringComparer.Ordinal).ToArray();
        if (absent.Length > 0)
            throw new TrainingException($"{path}: {absent.Length} judged documents are not in the index {indexDirectory}: {string.Join(", ", absent.Take(10))}{(absent.Length > 10 ? ", …" : "")}; was the index built from the same corpus?");
    }
}
