using SearchRerank.Train.Sampling;

namespace SearchRerank.Train.Tests.Sampling;

public sealed class BertMaskingTests
{
    private const int Vocabulary = 30_000, Mask = 103;

    private static bool IsSpecial(int id) => id is 0 or 100 or 101 or 102 or Mask;

    /// <summary>Sequences of 130 ids: [CLS], 128 ordinary ids (ids 1000 and up), [SEP], some ending in [PAD]s.</summary>
    private static int[][] Sequences(int count)
    {
        var random = new Random(5);
        return Enumerable.Range(0, count).Select(s =>
            new[] { 101 }.Concat(Enumerable.Range(0, 128).Select(_ => random.Next(1000, Vocabulary))).Concat(s % 3 == 0 ? [102, 0, 0, 0] : [102]).ToArray()).ToArray();
    }

    [Fact]
    public void SelectsFifteenPercentOfOrdinaryTokensAndSplitsThemEightyTenTen()
    {
        var sequences = Sequences(2000);
        long ordinary = 0, selected = 0, masked = 0, replaced = 0, kept = 0;
        for (int s = 0; s < sequences.Length; s++)
        {
            var (inputs, labels) = BertMasking.Mask(sequences[s], IsSpecial, Mask, Vocabulary, SplitMix64.For(9, s));
            for (int i = 0; i < inputs.Length; i++)
            {
                int original = sequences[s][i];
                if (IsSpecial(original))
                {
                    Assert.Equal((original, BertMasking.Ignored), (inputs[i], labels[i]));
                    continue;
                }
                ordinary++;
                if (labels[i] == BertMasking.Ignored)
                {
                    Assert.Equal(original, inputs[i]);
                    continue;
                }
                Assert.Equal(original, labels[i]);
                selected++;
                if (inputs[i] == Mask)
                    masked++;
                else if (inputs[i] == original)
                    kept++;
                else
                    replaced++;
            }
        }
        // 256,000 ordinary tokens: 38,400 expected selected (sd ≈ 181), of those 80/10/10 (sd ≈ 0.2 % / 0.15 %).
        Assert.Equal(256_000, ordinary);
        Assert.InRange(selected / (double)ordinary, 0.147, 0.153);
        Assert.InRange(masked / (double)selected, 0.79, 0.81);
        Assert.InRange(replaced / (double)selected, 0.094, 0.106);
        Assert.InRange(kept / (double)selected, 0.094, 0.106);
    }

    [Fact]
    public void SameSeedMasksTheSameWayAndAnotherSeedDoesNot()
    {
        var sequence = Sequences(1)[0];
        var first = BertMasking.Mask(sequence, IsSpecial, Mask, Vocabulary, SplitMix64.For(4, 17));
        var again = BertMasking.Mask(sequence, IsSpecial, Mask, Vocabulary, SplitMix64.For(4, 17));
        var other = BertMasking.Mask(sequence, IsSpecial, Mask, Vocabulary, SplitMix64.For(4, 18));
        Assert.Equal(first.Inputs, again.Inputs);
        Assert.Equal(first.Labels, again.Labels);
        Assert.NotEqual(first.Labels, other.Labels);
    }

    [Fact]
    public void SequenceOfSpecialTokensOnlyIsLeftAlone()
    {
        int[] specials = [101, 102, 0, 0, 100];
        for (int s = 0; s < 100; s++)
        {
            var (inputs, labels) = BertMasking.Mask(specials, IsSpecial, Mask, Vocabulary, SplitMix64.For(1, s));
            Assert.Equal(specials, inputs);
            Assert.All(labels, l => Assert.Equal(BertMasking.Ignored, l));
        }
    }
}
