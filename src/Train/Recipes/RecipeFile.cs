using SearchRerank.Core;

namespace SearchRerank.Train.Recipes;

/// <summary>The recipe being read: its path and where each field sits in it, so every error names file, line and field.</summary>
internal sealed record RecipeFile(string Path, JsonLineIndex Lines)
{
    public DataFormatException Error(string field, string message) => new(Path, Lines.LineOf(field), $"{field}: {message}");
}
