using Lucene.Net.Analysis.Core;
using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Util;
using SearchRerank.Search.Index;
using LuceneWriter = Lucene.Net.Index.IndexWriter;

namespace SearchRerank.Search.Tests.Index;

/// <summary>Every Lucene commit through the writer's directory flushes the folder once its new segments_N exists.</summary>
public sealed class DurableDirectoryTests
{
    [Fact]
    public void EachCommitFlushesTheFolderAfterItsSegmentsFileIsWritten()
    {
        using var dir = new TempDirectory();
        var seen = new List<string[]>();
        using var directory = new DurableDirectory(dir.Path, folder =>
        {
            Assert.Equal(Path.GetFullPath(dir.Path), Path.GetFullPath(folder));
            seen.Add(Directory.GetFiles(folder, "segments_*").Select(Path.GetFileName).ToArray()!);
        });
        using var writer = new LuceneWriter(directory, new IndexWriterConfig(LuceneVersion.LUCENE_48, new WhitespaceAnalyzer(LuceneVersion.LUCENE_48)));
        for (var commit = 1; commit <= 3; commit++)
        {
            seen.Clear();
            writer.AddDocument(new Document { new TextField("body", $"commit {commit}", Field.Store.YES) });
            writer.Commit();
            var generation = SegmentInfos.GetLastCommitGeneration(directory);
            var segments = IndexFileNames.FileNameFromGeneration(IndexFileNames.SEGMENTS, "", generation);
            Assert.Contains(seen, files => files.Contains(segments));
        }
    }
}
