using System.Text;

namespace SearchRerank.Rerank.Tests;

/// <summary>
/// Writes small ONNX models (protobuf, onnx.proto3 field numbers) for tests that need a model with a particular
/// signature: one built here can have any input names, embedding sizes or extra channels.
/// </summary>
internal static class TinyOnnx
{
    /// <summary>
    /// logits[b, 0] = Σ_s words[input_ids[b, s]] (+ Σ_s exact[exact_match_ids[b, s]] when <paramref name="exactMatchRows"/> is given),
    /// a "cross-encoder" whose score is easy to predict by hand, importing the default operator set <paramref name="opset"/>.
    /// </summary>
    public static byte[] SumModel(string idsInput, float[] wordWeights, float[]? exactMatchWeights = null, int opset = 14)
    {
        var graph = new Proto();
        graph.Message(5, Initializer("words", [wordWeights.Length, 1], wordWeights));
        graph.Message(1, Node("Gather", ["words", idsInput], ["word_emb"]));
        var sumInput = "word_emb";
        if (exactMatchWeights != null)
        {
            graph.Message(5, Initializer("exact", [exactMatchWeights.Length, 1], exactMatchWeights));
            graph.Message(1, Node("Gather", ["exact", "exact_match_ids"], ["exact_emb"]));
            graph.Message(1, Node("Add", ["word_emb", "exact_emb"], ["sum_emb"]));
            sumInput = "sum_emb";
        }

        graph.Message(5, Int64Initializer("axes", [1], [1]));
        var reduce = Node("ReduceSum", [sumInput, "axes"], ["reduced"]);
        reduce.Message(5, new Proto().String(1, "keepdims").Varint(20, 2).Varint(3, 0));
        graph.Message(1, reduce);
        graph.Message(1, Node("Identity", ["reduced"], ["logits"]));
        graph.String(2, "tiny");
        graph.Message(11, ValueInfo(idsInput, 7, ["batch", "sequence"]));
        if (exactMatchWeights != null)
            graph.Message(11, ValueInfo("exact_match_ids", 7, ["batch", "sequence"]));
        graph.Message(11, ValueInfo("attention_mask", 7, ["batch", "sequence"]));
        graph.Message(12, ValueInfo("logits", 1, ["batch", 1L]));

        var model = new Proto().Varint(1, 8);
        model.Message(8, new Proto().String(1, "").Varint(2, (ulong)opset));
        model.Message(7, graph);
        return model.ToArray();
    }

    /// <summary>
    /// A sequence-classification export as Optimum or sentence-transformers write one, with a score easy to predict:
    /// s[b] = Σ_s words[input_ids[b, s]] (+ typeWeight × the number of positions with token type 1 when
    /// <paramref name="tokenTypeIds"/>), output <c>logits</c> [batch, 1] = s, [batch, n] = (−s, s, …, s) with
    /// <paramref name="labels"/> n ≥ 2, or [batch] = s with <paramref name="labelAxis"/> false. Inputs input_ids,
    /// attention_mask and, when asked, token_type_ids.
    /// </summary>
    public static byte[] ClassifierModel(float[] wordWeights, bool tokenTypeIds, int labels, bool labelAxis = true, float typeWeight = 0f)
    {
        var graph = new Proto();
        graph.Message(5, Initializer("words", [wordWeights.Length, 1], wordWeights));
        graph.Message(1, Node("Gather", ["words", "input_ids"], ["word_emb"]));
        var sumInput = "word_emb";
        if (tokenTypeIds)
        {
            graph.Message(5, Initializer("types", [2, 1], [0f, typeWeight]));
            graph.Message(1, Node("Gather", ["types", "token_type_ids"], ["type_emb"]));
            graph.Message(1, Node("Add", ["word_emb", "type_emb"], ["sum_emb"]));
            sumInput = "sum_emb";
        }

        graph.Message(5, Int64Initializer("axes", labelAxis ? [1] : [2], labelAxis ? [1] : [1, 2]));
        var reduce = Node("ReduceSum", [sumInput, "axes"], [labels >= 2 ? "score" : "logits"]);
        reduce.Message(5, new Proto().String(1, "keepdims").Varint(20, 2).Varint(3, 0));
        graph.Message(1, reduce);
        if (labels >= 2)
        {
            graph.Message(1, Node("Neg", ["score"], ["negative"]));
            var concat = Node("Concat", ["negative", .. Enumerable.Repeat("score", labels - 1)], ["logits"]);
            concat.Message(5, new Proto().String(1, "axis").Varint(20, 2).Varint(3, 1));
            graph.Message(1, concat);
        }
        graph.String(2, "tiny-classifier");
        graph.Message(11, ValueInfo("input_ids", 7, ["batch", "sequence"]));
        graph.Message(11, ValueInfo("attention_mask", 7, ["batch", "sequence"]));
        if (tokenTypeIds)
            graph.Message(11, ValueInfo("token_type_ids", 7, ["batch", "sequence"]));
        graph.Message(12, ValueInfo("logits", 1, labelAxis ? ["batch", (long)labels] : ["batch"]));

        var model = new Proto().Varint(1, 8);
        model.Message(8, new Proto().String(1, "").Varint(2, 14));
        model.Message(7, graph);
        return model.ToArray();
    }

    private static Proto Node(string op, string[] inputs, string[] outputs)
    {
        var node = new Proto();
        foreach (var i in inputs)
            node.String(1, i);
        foreach (var o in outputs)
            node.String(2, o);
        return node.String(4, op);
    }

    private static Proto Initializer(string name, long[] dims, float[] values)
    {
        var t = new Proto();
        foreach (var d in dims)
            t.Varint(1, (ulong)d);
        t.Varint(2, 1).String(8, name);
        var raw = new byte[values.Length * 4];
        Buffer.BlockCopy(values, 0, raw, 0, raw.Length);
        return t.Bytes(9, raw);
    }

    private static Proto Int64Initializer(string name, long[] dims, long[] values)
    {
        var t = new Proto();
        foreach (var d in dims)
            t.Varint(1, (ulong)d);
        t.Varint(2, 7).String(8, name);
        var raw = new byte[values.Length * 8];
        Buffer.BlockCopy(values, 0, raw, 0, raw.Length);
        return t.Bytes(9, raw);
    }

    private static Proto ValueInfo(string name, int elementType, object[] dims)
    {
        var shape = new Proto();
        foreach (var d in dims)
            shape.Message(1, d is string param ? new Proto().String(2, param) : new Proto().Varint(1, (ulong)(long)d));
        var tensor = new Proto().Varint(1, (ulong)elementType).Message(2, shape);
        return new Proto().String(1, name).Message(2, new Proto().Message(1, tensor));
    }

    private sealed class Proto
    {
        private readonly MemoryStream buffer = new();

        public Proto Varint(int field, ulong value)
        {
            Tag(field, 0);
            Raw(value);
            return this;
        }

        public Proto String(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

        public Proto Message(int field, Proto message) => Bytes(field, message.ToArray());

        public Proto Bytes(int field, byte[] value)
        {
            Tag(field, 2);
            Raw((ulong)value.Length);
            buffer.Write(value);
            return this;
        }

        public byte[] ToArray() => buffer.ToArray();

        private void Tag(int field, int wire) => Raw(((ulong)field << 3) | (uint)wire);

        private void Raw(ulong value)
        {
            while (value >= 0x80)
            {
                buffer.WriteByte((byte)(value | 0x80));
                value >>= 7;
            }

            buffer.WriteByte((byte)value);
        }
    }
}
