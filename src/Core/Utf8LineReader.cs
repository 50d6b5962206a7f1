using System.Text;
using System.Text.Unicode;

namespace SearchRerank.Core;

/// <summary>
/// Streams the lines of a file as raw bytes with their 1-based numbers, so callers can validate UTF-8 strictly per
/// line and report the exact line of a bad byte (a decoding StreamReader would fail somewhere inside its buffer).
/// Strips "\n", a preceding "\r" and a leading UTF-8 byte-order mark.
/// </summary>
internal static class Utf8LineReader
{
    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static IEnumerable<(long Number, byte[] Bytes)> ReadLines(string path)
    {
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 16);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new DataFormatException(path, 0, $"cannot read file: {ex.Message}");
        }
        using (stream)
        {
            var buffer = new byte[1 << 16];
            var line = new MemoryStream();
            long number = 0;
            int read;
            while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
            {
                var start = 0;
                while (start < read)
                {
                    var newline = Array.IndexOf(buffer, (byte)'\n', start, read - start);
                    if (newline < 0)
                    {
                        line.Write(buffer, start, read - start);
                        break;
                    }
                    line.Write(buffer, start, newline - start);
                    start = newline + 1;
                    number++;
                    yield return (number, Finish(line, number));
                    line.SetLength(0);
                }
            }
            if (line.Length > 0)
            {
                number++;
                yield return (number, Finish(line, number));
            }
        }
    }

    private static byte[] Finish(MemoryStream line, long number)
    {
        var bytes = line.ToArray();
        var length = bytes.Length;
        if (length > 0 && bytes[length - 1] == '\r')
            length--;
        var offset = number == 1 && length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0;
        return offset == 0 && length == bytes.Length ? bytes : bytes[offset..length];
    }

    /// <summary>Decodes strictly; invalid UTF-8 becomes a <see cref="DataFormatException"/> naming the line and byte offset.</summary>
    public static string Decode(string path, long number, byte[] bytes)
    {
        RequireValid(path, number, bytes);
        return Strict.GetString(bytes);
    }

    public static void RequireValid(string path, long number, byte[] bytes)
    {
        if (Utf8.IsValid(bytes))
            return;
        // ToUtf16 stops at the first invalid sequence and says how many bytes it accepted before it.
        Utf8.ToUtf16(bytes, new char[bytes.Length], out var valid, out _, replaceInvalidSequences: false);
        throw new DataFormatException(path, number, $"invalid UTF-8 at byte {valid + 1} of the line");
    }
}
