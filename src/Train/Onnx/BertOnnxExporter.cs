using Google.Protobuf;
using SearchRerank.Core;
using SearchRerank.Train.Modeling;
using SearchRerank.Train.Onnx.Proto;
using static SearchRerank.Train.Onnx.OnnxGraphBuilder;
using DataType = SearchRerank.Train.Onnx.Proto.TensorProto.Types.DataType;

namespace SearchRerank.Train.Onnx;

/// <summary>
/// Writes a Hugging Face <c>BertForSequenceClassification</c> (1 label) as an ONNX model (opset 17) that
/// ONNX Runtime runs with the same inputs and output as transformers' export: int64 <c>input_ids</c>,
/// <c>attention_mask</c>, <c>token_type_ids</c> (and <c>exact_match_ids</c> when the config enables the
/// exact-match channel), all <c>[batch_size, sequence_length]</c>, giving float32 <c>logits [batch_size, 1]</c>.
/// </summary>
/// <remarks>
/// The graph follows the eager PyTorch module operation by operation (Devlin et al., 2019, "BERT"):
/// embeddings word + token type (+ exact match), then + position, LayerNorm; per layer, attention
/// <c>softmax(QKᵀ/√d + (1 − mask)·float32.lowest)·V</c>, output dense, residual, LayerNorm, exact GELU
/// feed-forward, residual, LayerNorm; pooler <c>tanh(dense(h[:, 0]))</c>; classifier. Linear weights are
/// stored transposed (<c>[in, out]</c>) as MatMul operands, named <c>&lt;HF name&gt;.transposed</c>; every other
/// initializer keeps its Hugging Face name.
/// </remarks>
public static class BertOnnxExporter
{
    public const int Opset = 17;

    // IR version 8 is the first that opset 17 may be used with.
    private const long IrVersion = 8;

    public const string ConfigFile = "config.json";
    public const string WeightsFile = "model.safetensors";
    public const string OnnxFile = "model.onnx";

    /// <summary>
    /// Reads <c>config.json</c> and <c>model.safetensors</c> from <paramref name="modelDirectory"/> and
    /// (re)writes <c>model.onnx</c> next to them. Returns the path written.
    /// </summary>
    public static string ExportDirectory(string modelDirectory)
    {
        if (!Directory.Exists(modelDirectory))
            throw new DirectoryNotFoundException($"{modelDirectory}: model directory not found");
        var config = BertConfig.Read(Path.Combine(modelDirectory, ConfigFile));
        string weightsPath = Path.Combine(modelDirectory, WeightsFile);
        var weights = BertParameters.Read(config, weightsPath);
        string onnxPath = Path.Combine(modelDirectory, OnnxFile);
        Export(config, weights, onnxPath, weightsPath);
        return onnxPath;
    }

    /// <summary>Writes the model atomically; <paramref name="weightsSource"/> names the weights in error messages.</summary>
    public static void Export(BertConfig config, IReadOnlyDictionary<string, NamedTensor> weights, string onnxPath, string weightsSource = "weights")
    {
        var model = Build(config, weights, weightsSource);
        AtomicFile.WriteStream(onnxPath, stream => model.WriteTo(stream));
    }

    internal static ModelProto Build(BertConfig config, IReadOnlyDictionary<string, NamedTensor> weights, string weightsSource)
    {
        config.Validate();
        BertParameters.Check(config, weights, weightsSource);
        // Protobuf caps a message at 2 GiB; bigger models would need ONNX external data, which is not written.
        long bytes = BertParameters.Expected(config).Sum(p => NamedTensor.ElementCountOf(p.Shape)) * sizeof(float);
        if (bytes > int.MaxValue - (64L << 20))
            throw new NotSupportedException($"{weightsSource}: {bytes / (1L << 20)} MiB of weights exceed what one ONNX file can hold (2 GiB); external data is not supported");

        var graph = new BertGraph(config, weights).Build();
        var model = new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = "SearchRerank",
            ProducerVersion = typeof(BertOnnxExporter).Assembly.GetName().Version?.ToString() ?? "0",
            Graph = graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = Opset });
        return model;
    }

    /// <summary>One export: the config, the weights and the graph being built.</summary>
    private sealed class BertGraph(BertConfig config, IReadOnlyDictionary<string, NamedTensor> weights)
    {
        private const string Batch = "batch_size";
        private const string Sequence = "sequence_length";

        private readonly OnnxGraphBuilder g = new("main_graph");

        public GraphProto Build()
        {
            string inputIds = g.Input("input_ids", DataType.Int64, Batch, Sequence);
            string attentionMask = g.Input("attention_mask", DataType.Int64, Batch, Sequence);
            string tokenTypeIds = g.Input("token_type_ids", DataType.Int64, Batch, Sequence);
            string? exactMatchIds = config.ExactMatch ? g.Input("exact_match_ids", DataType.Int64, Batch, Sequence) : null;

            string hidden = Embeddings(inputIds, tokenTypeIds, exactMatchIds);
            string mask = AdditiveMask(attentionMask);
            for (int i = 0; i < config.NumHiddenLayers; i++)
                hidden = Layer(i, hidden, mask);

            string first = g.Node("Gather", "/bert/pooler/Gather", [hidden, g.Int64s("const_zero_index", [0], scalar: true)], Attribute("axis", 1L));
            string pooled = g.Node("Tanh", "/bert/pooler/Tanh", [Gemm("bert.pooler.dense", first, "/bert/pooler/dense")]);
            string logits = Gemm("classifier", pooled, "/classifier", output: "logits");
            g.Output(logits, DataType.Float, Batch, config.NumLabels);
            return g.Graph;
        }

        private string Embeddings(string inputIds, string tokenTypeIds, string? exactMatchIds)
        {
            const string scope = "/bert/embeddings";
            string words = g.Node("Gather", $"{scope}/word_embeddings/Gather", [Weight("bert.embeddings.word_embeddings.weight"), inputIds]);
            string types = g.Node("Gather", $"{scope}/token_type_embeddings/Gather", [Weight("bert.embeddings.token_type_embeddings.weight"), tokenTypeIds]);
            string sum = g.Node("Add", $"{scope}/Add", [words, types]);
            if (exactMatchIds is not null)
            {
                string exact = g.Node("Gather", $"{scope}/exact_match_embeddings/Gather", [Weight(BertParameters.ExactMatchEmbeddings), exactMatchIds]);
                sum = g.Node("Add", $"{scope}/Add_exact_match", [sum, exact]);
            }
            // Positions 0..S-1 are the first S rows of the table: slice it by the runtime sequence length.
            string length = g.Node("Shape", $"{scope}/Shape", [inputIds], Attribute("start", 1L), Attribute("end", 2L));
            string positions = g.Node("Slice", $"{scope}/position_embeddings/Slice",
                [Weight("bert.embeddings.position_embeddings.weight"), g.Int64s("const_starts_0", [0]), length, g.Int64s("const_axes_0", [0])]);
            sum = g.Node("Add", $"{scope}/Add_positions", [sum, positions]);
            return LayerNorm("bert.embeddings.LayerNorm", sum, $"{scope}/LayerNorm");
        }

        // transformers' get_extended_attention_mask: (1 - mask) * float32.lowest, broadcast as [B, 1, 1, S].
        private string AdditiveMask(string attentionMask)
        {
            const string scope = "/bert/mask";
            string asFloat = g.Node("Cast", $"{scope}/Cast", [attentionMask], Attribute("to", (long)DataType.Float));
            string inverted = g.Node("Sub", $"{scope}/Sub", [g.FloatScalar("const_one", 1f), asFloat]);
            string additive = g.Node("Mul", $"{scope}/Mul", [inverted, g.FloatScalar("const_float_lowest", float.MinValue)]);
            return g.Node("Unsqueeze", $"{scope}/Unsqueeze", [additive, g.Int64s("const_axes_1_2", [1, 2])]);
        }

        private string Layer(int index, string input, string mask)
        {
            string prefix = $"bert.encoder.layer.{index}";
            string scope = $"/bert/encoder/layer.{index}";
            long heads = config.NumAttentionHeads, headSize = config.HeadSize;
            string splitShape = g.Int64s("const_shape_split_heads", [0, 0, heads, headSize]);
            string mergeShape = g.Int64s("const_shape_merge_heads", [0, 0, config.HiddenSize]);

            string Heads(string part, long[] perm)
            {
                string projected = Linear($"{prefix}.attention.self.{part}", input, $"{scope}/attention/self/{part}");
                string split = g.Node("Reshape", $"{scope}/attention/self/{part}/Reshape", [projected, splitShape]);
                return g.Node("Transpose", $"{scope}/attention/self/{part}/Transpose", [split], Attribute("perm", perm));
            }

            string q = Heads("query", [0, 2, 1, 3]);
            string kT = Heads("key", [0, 2, 3, 1]);
            string v = Heads("value", [0, 2, 1, 3]);
            string self = $"{scope}/attention/self";
            string scores = g.Node("MatMul", $"{self}/MatMul", [q, kT]);
            scores = g.Node("Div", $"{self}/Div", [scores, g.FloatScalar($"const_sqrt_head_size", MathF.Sqrt(headSize))]);
            scores = g.Node("Add", $"{self}/Add", [scores, mask]);
            string probabilities = g.Node("Softmax", $"{self}/Softmax", [scores], Attribute("axis", -1L));
            string context = g.Node("MatMul", $"{self}/MatMul_1", [probabilities, v]);
            context = g.Node("Transpose", $"{self}/Transpose", [context], Attribute("perm", new long[] { 0, 2, 1, 3 }));
            context = g.Node("Reshape", $"{self}/Reshape", [context, mergeShape]);

            string attention = Linear($"{prefix}.attention.output.dense", context, $"{scope}/attention/output/dense");
            attention = g.Node("Add", $"{scope}/attention/output/Add", [attention, input]);
            attention = LayerNorm($"{prefix}.attention.output.LayerNorm", attention, $"{scope}/attention/output/LayerNorm");

            string intermediate = Linear($"{prefix}.intermediate.dense", attention, $"{scope}/intermediate/dense");
            intermediate = Gelu(intermediate, $"{scope}/intermediate/gelu");
            string output = Linear($"{prefix}.output.dense", intermediate, $"{scope}/output/dense");
            output = g.Node("Add", $"{scope}/output/Add", [output, attention]);
            return LayerNorm($"{prefix}.output.LayerNorm", output, $"{scope}/output/LayerNorm");
        }

        // Exact GELU as transformers computes it: 0.5·x·(1 + erf(x/√2)).
        private string Gelu(string x, string scope)
        {
            string scaled = g.Node("Div", $"{scope}/Div", [x, g.FloatScalar("const_sqrt_2", MathF.Sqrt(2f))]);
            string erf = g.Node("Erf", $"{scope}/Erf", [scaled]);
            string onePlus = g.Node("Add", $"{scope}/Add", [erf, g.FloatScalar("const_one", 1f)]);
            string half = g.Node("Mul", $"{scope}/Mul", [x, g.FloatScalar("const_half", 0.5f)]);
            return g.Node("Mul", $"{scope}/Mul_1", [half, onePlus]);
        }

        private string Linear(string prefix, string x, string scope)
        {
            string weight = g.TransposedInitializer($"{prefix}.weight.transposed", weights[$"{prefix}.weight"]);
            string product = g.Node("MatMul", $"{scope}/MatMul", [x, weight]);
            return g.Node("Add", $"{scope}/Add", [product, Weight($"{prefix}.bias")]);
        }

        // For the 2-D pooler and classifier: Gemm takes the [out, in] weight as is (transB).
        private string Gemm(string prefix, string x, string scope, string? output = null) =>
            g.NodeWithOutput("Gemm", $"{scope}/Gemm", output ?? $"{scope}/Gemm_output_0",
                [x, Weight($"{prefix}.weight"), Weight($"{prefix}.bias")], Attribute("transB", 1L));

        private string LayerNorm(string prefix, string x, string scope) =>
            g.Node("LayerNormalization", scope, [x, Weight($"{prefix}.weight"), Weight($"{prefix}.bias")],
                Attribute("axis", -1L), Attribute("epsilon", (float)config.LayerNormEps));

        private string Weight(string name) => g.Initializer(name, weights[name]);
    }
}
