namespace SearchRerank.Cli.Output;

/// <summary>Text cut to fit a table cell the same way in every command: at most <c>width</c> characters, ending in "…".</summary>
public static class DisplayText
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

    /// <summary>What a hit shows as its title: the title, or the start of the text when the document has none.</summary>
    public static string TitleOf(string title, string text, int width) => Shorten(title.Length > 0 ? title : text, width);
}
