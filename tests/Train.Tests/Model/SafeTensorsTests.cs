using System.Buffers.Binary;
using System.Text;
using SearchRerank.Core;
using SearchRerank.Train.Modeling;

namespace SearchRerank.Train.Tests.Model;

public class SafeTensorsTests
{
    [Fact]
    public void ReadsReferenceModel()
    {
        var tensors = SafeTensors.Read(ReferenceFiles.TinyWeights, out var metadata);

        Assert.Equal(41, tensors.Count);
        Assert.Equal(4_386_049, tensors.Values.Sum(t => t.ElementCount));
        Assert.Equal("pt", metadata["format"]);
        Assert.Equal(tensors.Keys.Order(StringComparer.Ordinal), tensors.Keys);
        Assert.Equal(new long[] { 30522, 128 }, tensors["bert.embeddings.word_embeddings.weight"].Shape);
        // README: the [PAD] row is zero, LayerNorm weights are one.
        Assert.All(tensors["bert.embeddings.word_embeddings.weight"].Data.Take(128), v => Assert.Equal(0f, v));
        Assert.All(tensors["bert.embeddings.LayerNorm.weight"].Data, v => Assert.Equal(1f, v));
        BertParameters.Check(BertConfig.Read(ReferenceFiles.TinyConfig), tensors, ReferenceFiles.TinyWeights);
    }

    [Fact]
    public void RewritingReferenceIsByteIdentical()
    {
        using var dir = new TempDirectory();
        string copy = dir.File("model.safetensors");
        SafeTensors.Write(copy, SafeTensors.Read(ReferenceFiles.TinyWeights));

        Assert.Equal(File.ReadAllBytes(ReferenceFiles.TinyWeights), File.ReadAllBytes(copy));
        Assert.Single(Directory.GetFiles(dir.Path));
    }

    [Fact]
    public void RoundTripsOddNamesWithPaddedHeader()
    {
        using var dir = new TempDirectory();
        string path = dir.File("t.safetensors");
        var tensors = new Dictionary<string, NamedTensor>
        {
            ["b"] = new([2, 3], [1, 2, 3, 4, 5, float.NaN]),
            ["a.x"] = new([], [-0.5f]),
            ["empty"] = new([0, 4], []),
        };
        SafeTensors.Write(path, tensors, new Dictionary<string, string> { ["k"] = "v" });

        byte[] bytes = File.ReadAllBytes(path);
        long headerLength = BinaryPrimitives.ReadInt64LittleEndian(bytes);
        Assert.Equal(0, headerLength % 8);
        Assert.Equal(8 + headerLength + 7 * 4, bytes.Length);
        var back = SafeTensors.Read(path, out var metadata);
        Assert.Equal(["a.x", "b", "empty"], back.Keys);
        Assert.Equal("v", metadata["k"]);
        Assert.Equal(tensors["b"].Data, back["b"].Data);
        Assert.Empty(back["a.x"].Shape);
        Assert.Equal(new long[] { 0, 4 }, back["empty"].Shape);
    }

    [Fact]
    public void EmptyDictionaryRoundTrips()
    {
        using var dir = new TempDirectory();
        string path = dir.File("empty.safetensors");
        SafeTensors.Write(path, new Dictionary<string, NamedTensor>());
        Assert.Empty(SafeTensors.Read(path));
    }

    [Fact]
    public void WidensHalfTypes()
    {
        using var dir = new TempDirectory();
        string path = dir.File("half.safetensors");
        var data = new List<byte>();
        foreach (float v in new[] { 1.5f, -2f, 65504f })
            data.AddRange(BitConverter.GetBytes(BitConverter.HalfToUInt16Bits((Half)v)));
        foreach (float v in new[] { 3.25f, -0.15625f })
            data.AddRange(BitConverter.GetBytes((ushort)(BitConverter.SingleToUInt32Bits(v) >> 16)));
        WriteRaw(path, """{"h":{"dtype":"F16","shape":[3],"data_offsets":[0,6]},"b":{"dtype":"BF16","shape":[2],"data_offsets":[6,10]}}""", data.ToArray());

        var tensors = SafeTensors.Read(path);
        Assert.Equal(new[] { 1.5f, -2f, 65504f }, tensors["h"].Data);
        Assert.Equal(new[] { 3.25f, -0.15625f }, tensors["b"].Data);
    }

    [Fact]
    public void AcceptsSmallIntegerBuffersOnly()
    {
        using var dir = new TempDirectory();
        string path = dir.File("ints.safetensors");
        var data = new List<byte>();
        foreach (long v in new long[] { 0, 1, 511, -3 })
            data.AddRange(BitConverter.GetBytes(v));
        data.AddRange(BitConverter.GetBytes(7));
        WriteRaw(path, """{"bert.embeddings.position_ids":{"dtype":"I64","shape":[1,4],"data_offsets":[0,32]},"n":{"dtype":"I32","shape":[],"data_offsets":[32,36]}}""", data.ToArray());

        var tensors = SafeTensors.Read(path);
        Assert.Equal(new[] { 0f, 1f, 511f, -3f }, tensors["bert.embeddings.position_ids"].Data);
        Assert.Equal(new[] { 7f }, tensors["n"].Data);

        WriteRaw(path, """{"big":{"dtype":"I64","shape":[1],"data_offsets":[0,8]}}""", BitConverter.GetBytes(long.MinValue));
        var ex = Assert.Throws<DataFormatException>(() => SafeTensors.Read(path));
        Assert.Contains("tensor 'big': I64 value -9223372036854775808 cannot be held exactly as float32", ex.Message);
    }

    [Fact]
    public void BertParametersReadDropsThePositionIdsBuffer()
    {
        using var dir = new TempDirectory();
        string path = dir.File("model.safetensors");
        var weights = new Dictionary<string, NamedTensor>(SafeTensors.Read(ReferenceFiles.TinyWeights))
        {
            ["bert.embeddings.position_ids"] = new([1, 512], Enumerable.Range(0, 512).Select(i => (float)i).ToArray()),
        };
        SafeTensors.Write(path, weights);

        var read = BertParameters.Read(BertConfig.Read(ReferenceFiles.TinyConfig), path);
        Assert.Equal(41, read.Count);
        Assert.DoesNotContain("bert.embeddings.position_ids", read.Keys);

        weights["bert.embeddings.stray"] = new([1], [0f]);
        SafeTensors.Write(path, weights);
        var ex = Assert.Throws<DataFormatException>(() => BertParameters.Read(BertConfig.Read(ReferenceFiles.TinyConfig), path));
        Assert.Contains("unexpected tensor 'bert.embeddings.stray'", ex.Message);
    }

    [Theory]
    [InlineData("""{"w":{"dtype":"F64","shape":[1],"data_offsets":[0,8]}}""", 8, "tensor 'w': dtype F64 is not supported")]
    [InlineData("""{"w":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}""", 8, "tensor 'w': data_offsets [0, 8] span 8 bytes, but F32 shape [3] needs 12")]
    [InlineData("""{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}""", 4, "tensor 'w': data_offsets end 8 is past the 4 data bytes")]
    [InlineData("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}""", 8, "overlaps")]
    [InlineData("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}""", 8, "tensor 'a': data_offsets begin 4 leaves a hole")]
    [InlineData("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}""", 8, "4 trailing bytes")]
    [InlineData("""{"a":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}""", 4, "tensor 'a': 'shape' must hold non-negative integers")]
    [InlineData("""{"a":{"dtype":"F32","shape":[1]}}""", 4, "tensor 'a': missing array field 'data_offsets'")]
    [InlineData("""{"a":""", 4, "header is not valid JSON")]
    public void CorruptFilesNameFileAndTensor(string header, int dataBytes, string expected)
    {
        using var dir = new TempDirectory();
        string path = dir.File("bad.safetensors");
        WriteRaw(path, header, new byte[dataBytes]);

        var ex = Assert.Throws<DataFormatException>(() => SafeTensors.Read(path));
        Assert.Equal(path, ex.Path);
        Assert.Contains(expected, ex.Message);
        Assert.StartsWith(path + ": ", ex.Message);
    }

    [Fact]
    public void TruncatedReferenceIsRejected()
    {
        using var dir = new TempDirectory();
        string path = dir.File("cut.safetensors");
        byte[] bytes = File.ReadAllBytes(ReferenceFiles.TinyWeights);
        File.WriteAllBytes(path, bytes[..^100]);

        var ex = Assert.Throws<DataFormatException>(() => SafeTensors.Read(path));
        Assert.Contains("'classifier.weight'", ex.Message);
        Assert.Contains("truncated", ex.Message);
    }

    [Theory]
    [InlineData(new byte[] { 1, 2, 3 })]
    [InlineData(new byte[] { 255, 255, 0, 0, 0, 0, 0, 0, (byte)'{', (byte)'}' })]
    public void NonSafetensorsBytesAreRejected(byte[] bytes)
    {
        using var dir = new TempDirectory();
        string path = dir.File("junk.bin");
        File.WriteAllBytes(path, bytes);
        var ex = Assert.Throws<DataFormatException>(() => SafeTensors.Read(path));
        Assert.Contains("not a safetensors file", ex.Message);
    }

    private static void WriteRaw(string path, string header, byte[] data)
    {
        byte[] json = Encoding.UTF8.GetBytes(header);
        var bytes = new byte[8 + json.Length + data.Length];
        BinaryPrimitives.WriteInt64LittleEndian(bytes, json.Length);
        json.CopyTo(bytes, 8);
        data.CopyTo(bytes, 8 + json.Length);
        File.WriteAllBytes(path, bytes);
    }
}
