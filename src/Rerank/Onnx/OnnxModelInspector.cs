using System.Text;

namespace SearchRerank.Rerank.Onnx;

/// <summary>
/// Reads just enough of an ONNX file (protobuf <c>ModelProto</c>) to check a model against its tokenizer before running
/// it: the shapes of initializers and which initializer a Gather on a given input reads. Weight payloads are skipped
/// with seeks, so memory use does not depend on the model size. Field numbers are those of onnx.proto3:
/// ModelProto.graph = 7; GraphProto.node = 1, initializer = 5; NodeProto.input = 1, op_type = 4;
/// TensorProto.dims = 1, name = 8.
/// </summary>
internal sealed class OnnxModelInspector
{
    private readonly Dictionary<string, long[]> initializers = new(StringComparer.Ordinal);
    private readonly List<(string OpType, List<string> Inputs)> nodes = [];

    private OnnxModelInspector() { }

    /// <exception cref="InvalidDataException">The file is not a well-formed protobuf; the message names it.</exception>
    public static OnnxModelInspector Read(string path)
    {
        var inspector = new OnnxModelInspector();
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        var reader = new ProtoReader(stream, path);
        var sawGraph = false;
        while (reader.Position < stream.Length)
        {
            var (field, wire) = reader.ReadTag();
            if (field == 7 && wire == 2)
            {
                var end = reader.ReadLength();
                inspector.ReadGraph(reader, end);
                sawGraph = true;
            }
            else
            {
                reader.Skip(wire);
            }
        }

        if (!sawGraph)
            throw new InvalidDataException($"{path}: not an ONNX model (no graph)");
        return inspector;
    }

    /// <summary>Shape of the initializer called <paramref name="name"/>, or null.</summary>
    public long[]? InitializerShape(string name) => initializers.GetValueOrDefault(name);

    /// <summary>
    /// Rows of the embedding table looked up by <paramref name="inputName"/> (first dimension of the initializer a Gather
    /// node indexes with that input), or null when the graph has no such lookup.
    /// </summary>
    public long? EmbeddingRows(string inputName)
    {
        foreach (var (op, inputs) in nodes)
        {
            if (op == "Gather" && inputs.Count >= 2 && inputs[1] == inputName
                && initializers.TryGetValue(inputs[0], out var shape) && shape.Length == 2)
                return shape[0];
        }

        return null;
    }

    private void ReadGraph(ProtoReader reader, long end)
    {
        while (reader.Position < end)
        {
            var (field, wire) = reader.ReadTag();
            if (field == 1 && wire == 2)
                ReadNode(reader, reader.ReadLength());
            else if (field == 5 && wire == 2)
                ReadTensor(reader, reader.ReadLength());
            else
                reader.Skip(wire);
        }
    }

    private void ReadNode(ProtoReader reader, long end)
    {
        var inputs = new List<string>();
        var op = "";
        while (reader.Position < end)
        {
            var (field, wire) = reader.ReadTag();
            if (field == 1 && wire == 2)
                inputs.Add(reader.ReadString());
            else if (field == 4 && wire == 2)
                op = reader.ReadString();
            else
                reader.Skip(wire);
        }

        nodes.Add((op, inputs));
    }

    private void ReadTensor(ProtoReader reader, long end)
    {
        var dims = new List<long>();
        var name = "";
        while (reader.Position < end)
        {
            var (field, wire) = reader.ReadTag();
            if (field == 1 && wire == 0)
            {
                dims.Add((long)reader.ReadVarint());
            }
            else if (field == 1 && wire == 2)
            {
                var packedEnd = reader.ReadLength();
                while (reader.Position < packedEnd)
                    dims.Add((long)reader.ReadVarint());
            }
            else if (field == 8 && wire == 2)
            {
                name = reader.ReadString();
            }
            else
            {
                reader.Skip(wire);
            }
        }

        initializers[name] = [.. dims];
    }

    /// <summary>Minimal protobuf wire-format reader over a seekable stream.</summary>
    private sealed class ProtoReader(Stream stream, string path)
    {
        public long Position => stream.Position;

        public (int Field, int Wire) ReadTag()
        {
            var tag = ReadVarint();
            return ((int)(tag >> 3), (int)(tag & 7));
        }

        public ulong ReadVarint()
        {
            ulong value = 0;
            for (var shift = 0; shift < 64; shift += 7)
            {
                var b = stream.ReadByte();
                if (b < 0)
                    throw Corrupt("truncated varint");
                value |= (ulong)(b & 0x7F) << shift;
                if ((b & 0x80) == 0)
                    return value;
            }

            throw Corrupt("varint longer than 10 bytes");
        }

        /// <summary>Reads a length prefix and returns the absolute end offset of the field.</summary>
        public long ReadLength()
        {
            var length = ReadVarint();
            var end = stream.Position + (long)length;
            if (length > (ulong)stream.Length || end > stream.Length)
                throw Corrupt($"field of {length} bytes runs past the end of the file");
            return end;
        }

        public string ReadString()
        {
            var end = ReadLength();
            var bytes = new byte[end - stream.Position];
            stream.ReadExactly(bytes);
            return Encoding.UTF8.GetString(bytes);
        }

        public void Skip(int wire)
        {
            switch (wire)
            {
                case 0:
                    ReadVarint();
                    break;
                case 1:
                    SeekTo(stream.Position + 8);
                    break;
                case 2:
                    SeekTo(ReadLength());
                    break;
                case 5:
                    SeekTo(stream.Position + 4);
                    break;
                default:
                    throw Corrupt($"unsupported protobuf wire type {wire}");
            }
        }

        private void SeekTo(long offset)
        {
            if (offset > stream.Length)
                throw Corrupt("field runs past the end of the file");
            stream.Position = offset;
        }

        private InvalidDataException Corrupt(string what) =>
            new($"{path}: not a valid ONNX file at byte {stream.Position}: {what}");
    }
}
