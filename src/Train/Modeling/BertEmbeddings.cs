using SearchRerank.Train.Modeling;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SearchRerank.Train.Modeling;

/// <summary>
/// transformers' <c>BertEmbeddings</c>: word + token type (+ exact match) embeddings, then the absolute positions
/// 0..S−1, LayerNorm and dropout. The exact-match embedding is the project's extra channel: a [2, hidden] table
/// indexed by whether a document token also occurs in the query (<see cref="Rerank.Tokenization.ExactMatch"/>).
/// </summary>
public sealed class BertEmbeddings : nn.Module<BertInputs, Tensor>
{
    // Field names are the Hugging Face parameter names (bert.embeddings.word_embeddings.weight, …).
    private readonly Embedding word_embeddings;
    private readonly Embedding position_embeddings;
    private readonly Embedding token_type_embeddings;
    private readonly Embedding? exact_match_embeddings;
    private readonly LayerNorm LayerNorm;
    private readonly Dropout dropout;

    public BertEmbeddings(BertConfig config) : base(nameof(BertEmbeddings))
    {
        word_embeddings = nn.Embedding(config.VocabSize, config.HiddenSize, padding_idx: config.PadTokenId);
        position_embeddings = nn.Embedding(config.MaxPositionEmbeddings, config.HiddenSize);
        token_type_embeddings = nn.Embedding(config.TypeVocabSize, config.HiddenSize);
        if (config.ExactMatch)
            exact_match_embeddings = nn.Embedding(2, config.HiddenSize);
        LayerNorm = nn.LayerNorm([config.HiddenSize], config.LayerNormEps);
        dropout = nn.Dropout(config.HiddenDropoutProb);
        RegisterComponents();
    }

    /// <summary>The word embedding table [vocab, hidden], which a masked-LM head's decoder shares.</summary>
    public Parameter WordEmbeddings => word_embeddings.weight!;

    public override Tensor forward(BertInputs inputs)
    {
        using var scope = torch.NewDisposeScope();
        long length = inputs.InputIds.shape[1];
        var sum = word_embeddings.call(inputs.InputIds) + token_type_embeddings.call(inputs.TokenTypeIds);
        if (exact_match_embeddings is not null)
            sum = sum + exact_match_embeddings.call(inputs.ExactMatchIds!);
        sum = sum + position_embeddings.weight!.narrow(0, 0, length);
        return dropout.call(LayerNorm.call(sum)).MoveToOuterDisposeScope();
    }
}
