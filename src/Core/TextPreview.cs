namespace SearchRerank.Core;

/// <summary>
/// Text cut to a width the same way everywhere, for table cells and for inputs quoted in messages (a 100 KB query
/// must not come back as a 100 KB error): at most <c>width</c> characters, ending in "…".
/// </summary>
internal static class TextPreview
{
    public static string Shorten(string text, int width)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 2);
        if (text.Length <= width)
            return text;
        var cut = width - 1;
        // Never split a surrogate pair: half a character renders as a replacement box.
        if (char.IsHighSurrogate(text[cut - 1]))
            cut--;
        return text[..cut] + "…";
    }
}
