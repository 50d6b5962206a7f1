using SearchRerank.Core;
using SearchRerank.Eval;
using SearchRerank.Search.Index;
using SearchRerank.Train.Losses;
using SearchRerank.Train.Recipes;
using SearchRerank.Train.Sampling;

namespace SearchRerank.Train.Stages;

/// <summary>
/// Stage C (LCE, Gao et al. ECIR 2021) or pointwise BCE: one judged positive and BM25 negatives per group, from the
/// training queries' qrels, or (stage 0, weak supervision) from the corpus, a document's title as the query and its
/// text as the positive; <c>weak_queries</c> mixes such title queries into the judged ones.
/// </summary>
internal sealed class ContrastiveStage(StageSpec spec) : IStage
{
    public StageSpec Spec { get; } = spec;

    public IStageObjective Prepare(TrainingSession session, int index)
    {
        long seed = StageSeeds.Of(session.Recipe, index);
        var miner = new CandidateMiner(session.Searcher.Search);
        var pool = Spec.Data.Source == DataSource.Weak ? Titles(session, miner, seed, Spec.Data.MaxQueries)
            : Spec.Data.WeakQueries > 0 ? [.. Judged(session, miner, seed), .. Titles(session, miner, seed, Spec.Data.WeakQueries)]
            : Judged(session, miner, seed);
        if (Spec.SkipNegativesAbovePositive)
        {
            (pool, long removed) = FalseNegativeFilter.SkipAbovePositive(pool);
            // A run resumed inside this stage logged the filter before its checkpoint; the log must read as one run.
            if (session.ResumedInside(index) is null)
                session.Log.Negatives(Spec.Name, removed, pool.Sum(q => (long)q.Negatives.Count));
        }
        var curriculum = Spec.Curriculum is { } c ? new Curriculum(c.Heuristic, c.Steps) : null;
        IRankingLoss loss = Spec.Objective == TrainingObjective.Bce ? new BinaryCrossEntropyLoss() : new LocalizedContrastiveLoss();
        var sampler = new ContrastiveSampler(pool, Spec.GroupSize, seed, curriculum, Spec.OtherPositives);
        return new RankingObjective(sampler, session.Encoder, loss, Spec.GroupSize, Spec.MaxLength, curriculum);
    }

    private IReadOnlyList<TrainingQuery> Titles(TrainingSession session, CandidateMiner miner, long seed, int count)
    {
        var documents = CorpusReader.Read(Spec.Data.Corpus!).Where(d => d.Title.Length > 0).ToArray();
        var absent = documents.Where(d => session.Searcher.GetDocument(d.Id) is null).Select(d => d.Id).ToArray();
        if (absent.Length > 0)
            throw new TrainingException($"{Spec.Data.Corpus}: {absent.Length} documents are not in the index {session.Inputs.IndexDirectory}, e.g. {string.Join(", ", absent.Take(5))}; weak supervision needs the corpus the index was built from");
        return miner.FromTitles(StageSeeds.Cap(documents, count, seed), Spec.Depth, session.Cancellation);
    }

    /// <summary>A stage's own qrels/queries replace the run's; validation queries stay out of training either way.</summary>
    private IReadOnlyList<TrainingQuery> Judged(TrainingSession session, CandidateMiner miner, long seed)
    {
        var stageQueries = Spec.Data.Queries is { } qp ? TrainingSession.ReadQueries(qp) : session.Queries;
        var qrels = session.Qrels;
        IReadOnlyList<Topic> training = session.Split.Training;
        if (Spec.Data.Qrels is { } path)
        {
            qrels = QrelsReader.Read(path);
            QuerySplit.RequireJudgedInIndex(qrels, path, session.Searcher, session.Inputs.IndexDirectory);
            training = qrels.QueryIds.Where(id => stageQueries.ContainsKey(id) && !session.Split.ValidationIds.Contains(id)).Select(id => stageQueries[id]).ToArray();
        }
        else if (Spec.Data.Queries is not null)
        {
            training = training.Where(q => stageQueries.ContainsKey(q.Id)).Select(q => stageQueries[q.Id]).ToArray();
        }
        return miner.FromQrels(StageSeeds.Cap(training, Spec.Data.MaxQueries, seed), qrels, Spec.Depth, session.Cancellation);
    }
}
