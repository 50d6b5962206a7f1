using System.Buffers.Binary;
using System.Text;
using SearchRerank.Evaluation;
using SearchRerank.Train.Model;

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

    [Theory]
    [InlineData("""{"w":{"dtype":"I64","shape":[1],"data_offsets":[0,8]}}""", 8, "tensor 'w': dtype I64 is not supported")]
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
