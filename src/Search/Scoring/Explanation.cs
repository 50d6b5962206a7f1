using System.Globalization;
using System.Text;

namespace SearchRerank.Search.Scoring;

/// <summary>
/// Why a document got its score: a value, a description stating the formula or factor, and the parts it was computed
/// from. <see cref="ToString"/> renders the tree indented, one node per line.
/// </summary>
public sealed record Explanation(double Value, string Description, IReadOnlyList<Explanation> Details)
{
    public Explanation(double value, string description) : this(value, description, []) { }

    public override string ToString()
    {
        var builder = new StringBuilder();
        Append(builder, 0);
        return builder.ToString();
    }

    private void Append(StringBuilder builder, int depth)
    {
        builder.Append(' ', depth * 2).Append(Value.ToString("G6", CultureInfo.InvariantCulture)).Append(" = ").AppendLine(Description);
        foreach (var detail in Details)
            detail.Append(builder, depth + 1);
    }
}
