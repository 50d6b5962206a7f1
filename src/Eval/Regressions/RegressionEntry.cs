using System.Text.Json;
using SearchRerank.Core.Json;

namespace SearchRerank.Eval.Regressions;

/// <summary>
/// One reproducible configuration of a <see cref="RegressionFile"/>: a retrieval system (an experiment spec such as
/// <c>bm25:k1=0.9,b=0.4</c> or <c>rerank:depth=100</c>), the model it re-ranks with — a folder, or one trained here from
/// <see cref="Recipe"/> for each of <see cref="Seeds"/> — and the mean figures it must reproduce within
/// <see cref="Tolerance"/>. <see cref="Short"/> entries take seconds and run in the test suite; the others on demand.
/// </summary>
internal sealed record RegressionEntry(
    string Name,
    string Description,
    string Cost,
    bool Short,
    string System,
    int Depth,
    string? Model,
    string? Recipe,
    string? TrainQrels,
    IReadOnlyList<long> Seeds,
    IReadOnlyDictionary<string, double> Expected,
    double Tolerance)
{
    internal static RegressionEntry Parse(JsonSource source, string at, JsonElement element)
    {
        var fields = source.Object(at, element, "name", "description", "cost", "short", "system", "depth", "model", "recipe", "train_qrels", "seeds", "expected", "tolerance");
        var name = fields.RequiredString("name");
        if (!name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
            throw fields.Error(fields.Field("name"), $"'{name}' may hold only letters, digits, '-', '_' and '.' (it names a run and a folder)");
        var model = fields.ExistingPath("model");
        var recipe = fields.ExistingPath("recipe");
        if (model is not null && recipe is not null)
            throw fields.Error(fields.Field("recipe"), "give either model (a folder) or recipe (trained here), not both");
        var system = fields.RequiredString("system");
        if (system.StartsWith("rerank", StringComparison.Ordinal) && model is null && recipe is null)
            throw fields.Error(fields.Field("system"), "a rerank system needs model or recipe");
        var trainQrels = fields.ExistingPath("train_qrels");
        if (trainQrels is not null && recipe is null)
            throw fields.Error(fields.Field("train_qrels"), "only an entry with a recipe trains");
        return new RegressionEntry(name, fields.RequiredString("description"), fields.RequiredString("cost"), fields.Bool("short") ?? false,
            system, fields.Int("depth", 1) ?? 1000, model, recipe, trainQrels, ParseSeeds(source, fields, recipe is not null),
            ParseExpected(source, fields), fields.Number("tolerance", 0, 1) ?? throw fields.Error(fields.Field("tolerance"), "required field is missing"));
    }

    private static IReadOnlyList<long> ParseSeeds(JsonSource source, JsonFields fields, bool trains)
    {
        if (fields.Element("seeds") is not { } element)
            return [];
        var field = fields.Field("seeds");
        if (!trains)
            throw source.Error(field, "only an entry with a recipe has seeds");
        if (element.ValueKind != JsonValueKind.Array || element.GetArrayLength() == 0)
            throw source.Error(field, "expected a non-empty array of integers");
        var seeds = new List<long>();
        foreach (var item in element.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt64(out var seed) || seed < 0)
                throw source.Error($"{field}[{seeds.Count}]", $"expected a non-negative integer, got {JsonFields.Describe(item)}");
            seeds.Add(seed);
        }
        return seeds;
    }

    private static IReadOnlyDictionary<string, double> ParseExpected(JsonSource source, JsonFields fields)
    {
        var field = fields.Field("expected");
        var element = fields.Element("expected") ?? throw source.Error(field, "required field is missing");
        if (element.ValueKind != JsonValueKind.Object)
            throw source.Error(field, $"expected an object of metric: figure, got {JsonFields.Describe(element)}");
        var expected = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            var at = $"{field}.{property.Name}";
            try
            {
                Metrics.MetricParser.Parse(property.Name);
            }
            catch (ArgumentException ex)
            {
                throw source.Error(at, ex.Message);
            }
            if (property.Value.ValueKind != JsonValueKind.Number || !property.Value.TryGetDouble(out var value) || value is < 0 or > 1)
                throw source.Error(at, $"expected a figure in [0, 1], got {JsonFields.Describe(property.Value)}");
            expected[property.Name] = value;
        }
        if (expected.Count == 0)
            throw source.Error(field, "names no metric");
        return expected;
    }
}
