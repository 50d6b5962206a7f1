using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text.Json;
using SearchRerank.Core;

namespace SearchRerank.Train.Modeling;

/// <summary>
/// Reads and writes Hugging Face safetensors files: an 8-byte little-endian header length, a JSON header
/// (<c>__metadata__</c> plus one entry per tensor with dtype, shape and data_offsets relative to the end of
/// the header), then the raw little-endian tensor bytes. Tensors are written in ordinal name order and the
/// header is padded with spaces to a multiple of 8, as the Python library does, so files are byte-comparable.
/// </summary>
/// <remarks>
/// Reading streams one tensor at a time from the file (the whole file is never buffered), and accepts F32,
/// F16 and BF16 (half types are widened to float32), plus I64/I32 buffers whose values float32 holds exactly.
/// Writing always produces F32.
/// Every structural problem (truncated file, overlapping or missing bytes, wrong sizes, unknown dtype) is a
/// <see cref="DataFormatException"/> naming the file and, where there is one, the tensor.
/// </remarks>
public static class SafeTensors
{
    private const string MetadataKey = "__metadata__";

    // The Python library refuses headers above 100 MB; a larger value means a corrupt or foreign file.
    private const long MaxHeaderBytes = 100_000_000;

    public static IReadOnlyDictionary<string, NamedTensor> Read(string path) => Read(path, out _);

    /// <summary>Reads every tensor, in file (name) order, and the string metadata of the header.</summary>
    public static IReadOnlyDictionary<string, NamedTensor> Read(string path, out IReadOnlyDictionary<string, string> metadata)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
        var (entries, meta, dataStart) = ReadHeader(path, stream);
        metadata = meta;

        var tensors = new Dictionary<string, NamedTensor>(entries.Count, StringComparer.Ordinal);
        foreach (var entry in entries.OrderBy(e => e.Begin))
        {
            stream.Position = dataStart + entry.Begin;
            tensors[entry.Name] = ReadTensor(path, stream, entry);
        }
        // Callers see the names in the same order as the file lists them (ordinal), whatever the byte layout.
        return entries.Select(e => e.Name).Order(StringComparer.Ordinal)
            .ToDictionary(n => n, n => tensors[n], StringComparer.Ordinal);
    }

    /// <summary>Names, dtypes and shapes without reading any tensor data.</summary>
    public static IReadOnlyDictionary<string, long[]> ReadShapes(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        var (entries, _, _) = ReadHeader(path, stream);
        return entries.OrderBy(e => e.Name, StringComparer.Ordinal).ToDictionary(e => e.Name, e => e.Shape, StringComparer.Ordinal);
    }

    /// <summary>
    /// Writes <paramref name="tensors"/> as F32 atomically (temp file + rename). <paramref name="metadata"/>
    /// defaults to <c>{"format": "pt"}</c>, which transformers expects when loading.
    /// </summary>
    public static void Write(string path, IReadOnlyDictionary<string, NamedTensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        if (tensors.ContainsKey(MetadataKey))
            throw new ArgumentException($"'{MetadataKey}' is reserved and cannot be a tensor name", nameof(tensors));
        var names = tensors.Keys.Order(StringComparer.Ordinal).ToList();
        byte[] header = BuildHeader(names, tensors, metadata ?? new Dictionary<string, string> { ["format"] = "pt" });

        AtomicFile.WriteStream(path, stream =>
        {
            Span<byte> length = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)header.Length);
            stream.Write(length);
            stream.Write(header);
            foreach (string name in names)
                stream.Write(MemoryMarshal.AsBytes(tensors[name].Data.AsSpan()));
        });
    }

    private static byte[] BuildHeader(List<string> names, IReadOnlyDictionary<string, NamedTensor> tensors, IReadOnlyDictionary<string, string> metadata)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartObject(MetadataKey);
            foreach (var (key, value) in metadata.OrderBy(kv => kv.Key, StringComparer.Ordinal))
                json.WriteString(key, value);
            json.WriteEndObject();
            long offset = 0;
            foreach (string name in names)
            {
                var tensor = tensors[name];
                long bytes = tensor.ElementCount * sizeof(float);
                json.WriteStartObject(name);
                json.WriteString("dtype", "F32");
                json.WriteStartArray("shape");
                foreach (long dim in tensor.Shape)
                    json.WriteNumberValue(dim);
                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                json.WriteNumberValue(offset + bytes);
                json.WriteEndArray();
                json.WriteEndObject();
                offset += bytes;
            }
            json.WriteEndObject();
        }
        int padded = (int)((buffer.Length + 7) / 8 * 8);
        while (buffer.Length < padded)
            buffer.WriteByte((byte)' ');
        return buffer.ToArray();
    }

    private sealed record Entry(string Name, string DType, long[] Shape, long Begin, long End)
    {
        public int ElementSize => DType switch { "F32" or "I32" => 4, "I64" => 8, _ => 2 };
    }

    private static (List<Entry> Entries, IReadOnlyDictionary<string, string> Metadata, long DataStart) ReadHeader(string path, FileStream stream)
    {
        long fileLength = stream.Length;
        Span<byte> lengthBytes = stackalloc byte[8];
        if (fileLength < 8 || stream.Read(lengthBytes) != 8)
            throw new DataFormatException(path, 0, $"not a safetensors file: {fileLength} bytes, shorter than the 8-byte header length");
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(lengthBytes);
        if (headerLength > (ulong)Math.Min(MaxHeaderBytes, fileLength - 8))
            throw new DataFormatException(path, 0, $"not a safetensors file: header length {headerLength} exceeds the file size {fileLength} (or the 100 MB limit)");

        byte[] headerBytes = new byte[headerLength];
        stream.ReadExactly(headerBytes);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(headerBytes);
        }
        catch (JsonException ex)
        {
            throw new DataFormatException(path, 0, $"safetensors header is not valid JSON: {JsonErrors.Reason(ex)}");
        }

        long dataStart = 8 + (long)headerLength;
        long dataLength = fileLength - dataStart;
        var entries = new List<Entry>();
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                throw new DataFormatException(path, 0, "safetensors header must be a JSON object");
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (!seen.Add(property.Name))
                    throw new DataFormatException(path, 0, $"tensor '{property.Name}' appears twice in the header");
                if (property.Name == MetadataKey)
                {
                    ReadMetadata(path, property.Value, metadata);
                    continue;
                }
                entries.Add(ParseEntry(path, property.Name, property.Value));
            }
        }
        CheckLayout(path, entries, dataLength);
        return (entries, metadata, dataStart);
    }

    private static void ReadMetadata(string path, JsonElement element, Dictionary<string, string> metadata)
    {
        if (element.ValueKind != JsonValueKind.Object)
            throw new DataFormatException(path, 0, $"'{MetadataKey}' must be an object of strings");
        foreach (var item in element.EnumerateObject())
        {
            if (item.Value.ValueKind != JsonValueKind.String)
                throw new DataFormatException(path, 0, $"'{MetadataKey}.{item.Name}' must be a string, got {item.Value.ValueKind}");
            metadata[item.Name] = item.Value.GetString()!;
        }
    }

    private static Entry ParseEntry(string path, string name, JsonElement element)
    {
        DataFormatException Bad(string what) => new(path, 0, $"tensor '{name}': {what}");

        if (element.ValueKind != JsonValueKind.Object)
            throw Bad("header entry must be an object with dtype, shape and data_offsets");
        if (!element.TryGetProperty("dtype", out var dtypeElement) || dtypeElement.ValueKind != JsonValueKind.String)
            throw Bad("missing string field 'dtype'");
        string dtype = dtypeElement.GetString()!;
        if (dtype is not ("F32" or "F16" or "BF16" or "I64" or "I32"))
            throw Bad($"dtype {dtype} is not supported (F32, F16, BF16, and I64/I32 holding small integers are)");
        long[] shape = ReadLongArray(element, "shape", Bad);
        long[] offsets = ReadLongArray(element, "data_offsets", Bad);
        if (offsets.Length != 2 || offsets[0] > offsets[1])
            throw Bad($"data_offsets must be [begin, end] with begin <= end, got [{string.Join(", ", offsets)}]");
        long count;
        try
        {
            count = NamedTensor.ElementCountOf(shape);
        }
        catch (Exception ex) when (ex is ArgumentException or OverflowException)
        {
            throw Bad($"invalid shape [{string.Join(", ", shape)}]");
        }
        if (count > Array.MaxLength)
            throw Bad($"{count} elements exceed the largest array .NET can hold");
        var entry = new Entry(name, dtype, shape, offsets[0], offsets[1]);
        if (offsets[1] - offsets[0] != count * entry.ElementSize)
            throw Bad($"data_offsets [{offsets[0]}, {offsets[1]}] span {offsets[1] - offsets[0]} bytes, but {dtype} shape [{string.Join(", ", shape)}] needs {count * entry.ElementSize}");
        return entry;
    }

    private static long[] ReadLongArray(JsonElement element, string field, Func<string, DataFormatException> bad)
    {
        if (!element.TryGetProperty(field, out var array) || array.ValueKind != JsonValueKind.Array)
            throw bad($"missing array field '{field}'");
        var values = new long[array.GetArrayLength()];
        int i = 0;
        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt64(out values[i]) || values[i] < 0)
                throw bad($"'{field}' must hold non-negative integers, got {item.GetRawText()}");
            i++;
        }
        return values;
    }

    // The byte buffer must be covered exactly: no holes, no overlaps, nothing past the end. A truncated or
    // spliced file fails here, before any data is read.
    private static void CheckLayout(string path, List<Entry> entries, long dataLength)
    {
        long expected = 0;
        foreach (var entry in entries.OrderBy(e => e.Begin).ThenBy(e => e.End))
        {
            if (entry.End > dataLength)
                throw new DataFormatException(path, 0, $"tensor '{entry.Name}': data_offsets end {entry.End} is past the {dataLength} data bytes (truncated file?)");
            if (entry.Begin != expected)
                throw new DataFormatException(path, 0, entry.Begin < expected
                    ? $"tensor '{entry.Name}': data_offsets begin {entry.Begin} overlaps the previous tensor, which ends at {expected}"
                    : $"tensor '{entry.Name}': data_offsets begin {entry.Begin} leaves a hole after byte {expected}");
            expected = entry.End;
        }
        if (expected != dataLength)
            throw new DataFormatException(path, 0, $"{dataLength - expected} trailing bytes after the last tensor's data");
    }

    private static NamedTensor ReadTensor(string path, FileStream stream, Entry entry)
    {
        int count = (int)((entry.End - entry.Begin) / entry.ElementSize);
        var data = new float[count];
        if (entry.DType == "F32")
        {
            stream.ReadExactly(MemoryMarshal.AsBytes(data.AsSpan()));
            return new NamedTensor(entry.Shape, data);
        }
        // Other types: read in chunks and convert, so a large tensor never needs a second full-size buffer.
        int size = entry.ElementSize;
        var raw = new byte[Math.Min(count * size, 1 << 20)];
        for (int done = 0; done < count;)
        {
            int chunk = Math.Min(count - done, raw.Length / size);
            stream.ReadExactly(raw, 0, chunk * size);
            for (int i = 0; i < chunk; i++)
                data[done + i] = Convert(path, entry, raw.AsSpan(i * size, size));
            done += chunk;
        }
        return new NamedTensor(entry.Shape, data);
    }

    // Integer tensors are buffers such as bert.embeddings.position_ids that older transformers saved; they are
    // accepted only while float32 holds every value exactly (|v| <= 2^24).
    private static float Convert(string path, Entry entry, ReadOnlySpan<byte> bytes)
    {
        switch (entry.DType)
        {
            case "F16":
                return (float)BitConverter.UInt16BitsToHalf(BinaryPrimitives.ReadUInt16LittleEndian(bytes));
            case "BF16":
                return BitConverter.UInt32BitsToSingle((uint)BinaryPrimitives.ReadUInt16LittleEndian(bytes) << 16);
            default:
                long value = entry.DType == "I64" ? BinaryPrimitives.ReadInt64LittleEndian(bytes) : BinaryPrimitives.ReadInt32LittleEndian(bytes);
                if (value is < -(1 << 24) or > 1 << 24)
                    throw new DataFormatException(path, 0, $"tensor '{entry.Name}': {entry.DType} value {value} cannot be held exactly as float32");
                return value;
        }
    }
}
