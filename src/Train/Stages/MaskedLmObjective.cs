using SearchRerank.Rerank.Tokenization;
using SearchRerank.Train.Modeling;
using SearchRerank.Train.Sampling;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SearchRerank.Train.Stages;

/// <summary>
/// The masked-LM objective: sequences visited in a fresh order every epoch, each masked afresh at every position of
/// the stream (<see cref="BertMasking"/>, seeded by (stage seed, position), so a resumed run masks as the
/// uninterrupted one did), encoded as single-segment inputs (token type 0, exact-match flags 0: the channel stays in
/// the model for later stages), and cross-entropy of the tied head's logits on the selected positions only. Only those
/// positions go through the head: the vocabulary-wide logits of the others would be computed for nothing.
/// </summary>
internal sealed class MaskedLmObjective(IReadOnlyList<int[]> sequences, BertMaskedLmHead head, BertTokenizer tokenizer, int maskId, long seed)
    : IStageObjective
{
    private readonly EpochOrder order = new(seed, sequences.Count);

    public long ItemsPerEpoch => sequences.Count;

    public IReadOnlyList<(string Name, Parameter Parameter)> ExtraParameters { get; } = head.OwnParameters;

    public bool Validates => false;

    public MicroBatchLoss Loss(BertForSequenceClassification model, long position, int count, long step)
    {
        var inputs = new int[count][];
        var labels = new int[count][];
        for (int g = 0; g < count; g++)
        {
            var sequence = sequences[order.At(position + g).Item];
            (inputs[g], labels[g]) = BertMasking.Mask(sequence, tokenizer.IsSpecial, maskId, tokenizer.VocabularySize, SplitMix64.For(seed, position + g));
        }
        var batch = EncodedBatch.Pad(inputs, inputs.Select(r => new int[r.Length]).ToArray());
        var positions = new List<long>();
        var targets = new List<long>();
        for (int r = 0; r < count; r++)
        {
            for (int c = 0; c < labels[r].Length; c++)
            {
                if (labels[r][c] == BertMasking.Ignored)
                    continue;
                positions.Add((long)r * batch.SequenceLength + c);
                targets.Add(labels[r][c]);
            }
        }
        using var encoded = BertInputs.From(batch, model.Config, model.Device);
        var hidden = model.Sequence(encoded);
        // Short sequences may draw no position at all: a zero loss on the graph, so the step still counts.
        if (positions.Count == 0)
            return new MicroBatchLoss(hidden.sum() * 0, count);
        var selected = hidden.view(-1, hidden.shape[2]).index_select(0, torch.tensor(positions.ToArray(), device: model.Device));
        var loss = nn.functional.cross_entropy(head.call(selected), torch.tensor(targets.ToArray(), device: model.Device));
        return new MicroBatchLoss(loss, count);
    }

    public override string ToString() => $"MaskedLm(sequences={sequences.Count},seed={seed})";
}
