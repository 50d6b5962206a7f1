using System.Text;

namespace SearchRerank.Bench;

/// <summary>An ONNX model computing C = A·B for n×n float inputs (protobuf written by hand; onnx.proto3 field numbers).</summary>
internal static class MatMulModel
{
    public static byte[] Build(int n)
    {
        var node = new Proto().String(1, "A").String(1, "B").String(2, "C").String(4, "MatMul");
        var graph = new Proto().Message(1, node).String(2, "gemm")
            .Message(11, Value("A", n)).Message(11, Value("B", n)).Message(12, Value("C", n));
        return new Proto().Varint(1, 8).Message(8, new Proto().String(1, "").Varint(2, 14)).Message(7, graph).ToArray();
    }

    private static Proto Value(string name, int n)
    {
        var shape = new Proto().Message(1, new Proto().Varint(1, (ulong)n)).Message(1, new Proto().Varint(1, (ulong)n));
        var tensor = new Proto().Varint(1, 1).Message(2, shape);
        return new Proto().String(1, name).Message(2, new Proto().Message(1, tensor));
    }

    private sealed class Proto
    {
        private readonly MemoryStream buffer = new();

        public Proto Varint(int field, ulong value)
        {
            Raw((ulong)field << 3);
            Raw(value);
            return this;
        }

        public Proto String(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

        public Proto Message(int field, Proto message) => Bytes(field, message.ToArray());

        private Proto Bytes(int field, byte[] value)
        {
            Raw(((ulong)field << 3) | 2);
            Raw((ulong)value.Length);
            buffer.Write(value);
            return this;
        }

        public byte[] ToArray() => buffer.ToArray();

        private void Raw(ulong value)
        {
            for (; value >= 0x80; value >>= 7)
                buffer.WriteByte((byte)(value | 0x80));
            buffer.WriteByte((byte)value);
        }
    }
}
