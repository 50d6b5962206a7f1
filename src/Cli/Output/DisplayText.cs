using SearchRerank.Core;

namespace SearchRerank.Cli.Output;

/// <summary>What a hit shows in a table cell, the same way in every command.</summary>
internal static class DisplayText
{
    /// <summary>The title, or the start of the text when the document has none, at most <paramref name="width"/> characters.</summary>
    public static string TitleOf(string title, string text, int width) => TextPreview.Shorten(title.Length > 0 ? title : text, width);
}
