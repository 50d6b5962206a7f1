using SearchRerank.Train.Losses;
using SearchRerank.Train.Modeling;
using SearchRerank.Train.Sampling;
using TorchSharp.Modules;

namespace SearchRerank.Train.Stages;

/// <summary>
/// The objective of every ranking stage: groups from a sampler, encoded as (query, document) pairs, scored by the
/// cross-encoder and fed to a ranking loss with the groups' labels and, under a curriculum, their annealed weights.
/// </summary>
internal sealed class RankingObjective(IGroupSampler sampler, PairEncoder encoder, IRankingLoss loss, int groupSize, int maxLength, Curriculum? curriculum)
    : IStageObjective
{
    public long ItemsPerEpoch => sampler.GroupsPerEpoch;

    public IReadOnlyList<(string Name, Parameter Parameter)> ExtraParameters => [];

    public bool Validates => true;

    public MicroBatchLoss Loss(BertForSequenceClassification model, long position, int count, long step)
    {
        var groups = new TrainingGroup[count];
        for (int g = 0; g < count; g++)
            groups[g] = sampler.Sample(position + g);
        var batch = encoder.Batch(groups.SelectMany(g => g.DocIds.Select(d => (g.Query, d, g.TextOnly))).ToArray(), maxLength);
        var weights = curriculum is null ? null : groups.Select(g => (float)curriculum.Weight(g.Difficulty, step)).ToArray();
        var targets = new RankingTargets(groupSize, count, groups.SelectMany(g => g.Labels).ToArray(), weights);
        using var inputs = BertInputs.From(batch, model.Config, model.Device);
        return new MicroBatchLoss(loss.Compute(model.call(inputs), targets), batch.Size);
    }

    public override string ToString() => $"Ranking({loss},{sampler})";
}
