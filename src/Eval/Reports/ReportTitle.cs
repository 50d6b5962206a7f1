namespace SearchRerank.Eval.Reports;

/// <summary>
/// A report heading named after what was measured rather than after a file: for the BEIR layout
/// <c>…/scifact/qrels/test.tsv</c> it is <c>scifact, test split</c>; for any other qrels file, its file name.
/// </summary>
public static class ReportTitle
{
    public static string FromQrels(string qrelsPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(qrelsPath);
        var full = Path.GetFullPath(qrelsPath);
        var split = Path.GetFileNameWithoutExtension(full);
        var folder = Path.GetDirectoryName(full);
        if (folder is not null && Path.GetFileName(folder) == "qrels" && Path.GetDirectoryName(folder) is { } collection
            && Path.GetFileName(collection) is { Length: > 0 } name)
            return $"{name}, {split} split";
        return Path.GetFileName(full);
    }
}
