using SearchRerank.Core;

namespace SearchRerank.Core.Tests;

public sealed class FolderSyncTests
{
    [Fact]
    public void FlushesAnExistingFolder()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("a"), "x");
        FolderSync.Flush(dir.Path);
    }

    [Fact]
    public void AMissingFolderFailsNamingIt()
    {
        if (OperatingSystem.IsWindows())
            return;
        using var dir = new TempDirectory();
        var missing = dir.Combine("missing");
        var error = Assert.Throws<IOException>(() => FolderSync.Flush(missing));
        Assert.StartsWith($"{missing}: open of the folder failed: ", error.Message);
    }
}
