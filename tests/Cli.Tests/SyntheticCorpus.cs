using System.Text;
using SearchRerank.Search;

namespace SearchRerank.Cli.Tests;

/// <summary>A TSV corpus large enough that importing it takes seconds, so a test can act while an import runs.</summary>
internal static class SyntheticCorpus
{
    /// <summary>Writes <paramref name="documents"/> documents doc0, doc1, …, each with a unique word marker<i>i</i>.</summary>
    public static string Write(string path, int documents)
    {
        var builder = new StringBuilder();
        for (var i = 0; i < documents; i++)
            builder.Append("doc").Append(i).Append("\tTitle ").Append(i).Append("\tmarker").Append(i)
                .Append(" some text about aspirin coffee sleep vitamin heart and other words to index\n");
        File.WriteAllText(path, builder.ToString());
        return path;
    }

    /// <summary>Documents committed so far, read through the library as any reader would; 0 while the index is being created.</summary>
    public static long CommittedDocuments(string index)
    {
        try
        {
            using var searcher = Searcher.Open(index);
            return searcher.DocumentCount;
        }
        catch (Exception)
        {
            return 0;
        }
    }
}
