using SearchRerank.Train.Modeling;
using TorchSharp;
using static TorchSharp.torch;

namespace SearchRerank.Train.Modeling;

/// <summary>
/// One <see cref="EncodedBatch"/> as int64 tensors <c>[batch, sequence]</c> on the model's device, checked against
/// the config first (ids inside the vocabulary, token types inside type_vocab_size, mask and exact-match flags 0 or 1,
/// length within max_position_embeddings), so a bad id is an error naming the row and column, not a native crash.
/// <see cref="AttentionMask"/> is null when nothing is padded (the model then adds no mask). Owns its tensors.
/// </summary>
public sealed class BertInputs : IDisposable
{
    private BertInputs(Tensor inputIds, Tensor tokenTypeIds, Tensor? attentionMask, Tensor? exactMatchIds)
    {
        InputIds = inputIds;
        TokenTypeIds = tokenTypeIds;
        AttentionMask = attentionMask;
        ExactMatchIds = exactMatchIds;
    }

    public Tensor InputIds { get; }

    public Tensor TokenTypeIds { get; }

    public Tensor? AttentionMask { get; }

    /// <summary>Null when the model has no exact-match embedding.</summary>
    public Tensor? ExactMatchIds { get; }

    public static BertInputs From(EncodedBatch batch, BertConfig config, Device device)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.SequenceLength > config.MaxPositionEmbeddings)
            throw new ArgumentException($"BertInputs: sequence length {batch.SequenceLength} exceeds max_position_embeddings {config.MaxPositionEmbeddings}");
        Check(batch, batch.InputIds, "input_ids", config.VocabSize, "vocab_size");
        Check(batch, batch.TokenTypeIds, "token_type_ids", config.TypeVocabSize, "type_vocab_size");
        Check(batch, batch.AttentionMask, "attention_mask", 2, "0 or 1");
        if (batch.ExactMatchIds is { } flags)
            Check(batch, flags, "exact_match_ids", 2, "0 or 1");
        long[] shape = [batch.Size, batch.SequenceLength];
        Tensor Upload(int[] values) => torch.tensor(values, shape, ScalarType.Int64, device);
        Tensor? exact = null;
        if (config.ExactMatch)
            exact = batch.ExactMatchIds is { } e ? Upload(e) : torch.zeros(shape, ScalarType.Int64, device);
        return new BertInputs(Upload(batch.InputIds), Upload(batch.TokenTypeIds), batch.IsPadded ? Upload(batch.AttentionMask) : null, exact);
    }

    public void Dispose()
    {
        InputIds.Dispose();
        TokenTypeIds.Dispose();
        AttentionMask?.Dispose();
        ExactMatchIds?.Dispose();
    }

    private static void Check(EncodedBatch batch, int[] values, string field, int limit, string limitName)
    {
        for (int i = 0; i < values.Length; i++)
            if ((uint)values[i] >= (uint)limit)
                throw new ArgumentException($"BertInputs: {field}[{i / batch.SequenceLength}][{i % batch.SequenceLength}] = {values[i]} is outside [0, {limit}) ({limitName})");
    }
}
