using SearchRerank.Core;
using SearchRerank.Train.Checkpoints;

namespace SearchRerank.Train.Tests.Checkpoints;

public sealed class CheckpointStoreTests
{
    private static CheckpointState State(long step) => new("abc", 1, step, false, 0.5, 3, 1, 0.4, 1234, step * 8);

    [Fact]
    public void LatestIsTheLastCompleteGenerationAndOldOnesAreRemoved()
    {
        using var dir = new TempDirectory();
        var store = new CheckpointStore(dir.File("ckpt"));
        Assert.Null(store.Latest());
        store.Save(State(2), folder => File.WriteAllText(Path.Combine(folder, "weights"), "two"));
        string latest = store.Save(State(4), folder => File.WriteAllText(Path.Combine(folder, "weights"), "four"));
        Assert.Equal(latest, store.Latest());
        Assert.Equal(State(4), CheckpointStore.ReadState(latest));
        Assert.Equal("four", File.ReadAllText(Path.Combine(latest, "weights")));
        Assert.Single(Directory.GetDirectories(store.Directory));
    }

    [Fact]
    public void AFailedSaveLeavesThePreviousCheckpoint()
    {
        using var dir = new TempDirectory();
        var store = new CheckpointStore(dir.File("ckpt"));
        string first = store.Save(State(2), _ => { });
        Assert.Throws<IOException>(() => store.Save(State(4), folder =>
        {
            File.WriteAllText(Path.Combine(folder, "partial"), "x");
            throw new IOException("disk full");
        }));
        Assert.Equal(first, store.Latest());
        Assert.Equal(2, CheckpointStore.ReadState(store.Latest()!).Step);
        // The next save cleans the abandoned temporary folder up.
        store.Save(State(6), _ => { });
        Assert.Empty(Directory.GetDirectories(store.Directory, "*.tmp"));
    }

    [Fact]
    public void CorruptStateNamesTheFile()
    {
        using var dir = new TempDirectory();
        var store = new CheckpointStore(dir.File("ckpt"));
        string folder = store.Save(State(2), _ => { });
        File.WriteAllText(Path.Combine(folder, CheckpointStore.StateFile), "{ \"Stage\": ");
        var error = Assert.Throws<DataFormatException>(() => CheckpointStore.ReadState(folder));
        Assert.Contains(CheckpointStore.StateFile, error.Message);
    }
}
