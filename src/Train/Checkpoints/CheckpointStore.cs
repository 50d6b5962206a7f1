using System.Text.Json;
using SearchRerank.Core;

namespace SearchRerank.Train.Checkpoints;

/// <summary>
/// Crash-safe checkpoints under one folder. Each checkpoint is a generation folder (<c>ckpt-000007/</c>) that is
/// written completely under a temporary name and then renamed; the file <c>latest</c>, replaced atomically after
/// the rename, names the generation to resume from. A kill at any moment therefore leaves either the previous or
/// the new checkpoint, never a mix. Older generations are deleted after <c>latest</c> moves on.
/// </summary>
internal sealed class CheckpointStore
{
    public const string StateFile = "state.json";
    public const string WeightsFile = "model.safetensors";
    private const string LatestFile = "latest";
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public CheckpointStore(string directory) => Directory = System.IO.Path.GetFullPath(directory);

    public string Directory { get; }

    /// <summary>The folder of the newest complete checkpoint, or null when there is none.</summary>
    public string? Latest()
    {
        string pointer = System.IO.Path.Combine(Directory, LatestFile);
        if (!File.Exists(pointer))
            return null;
        string name = File.ReadAllText(pointer).Trim();
        string folder = System.IO.Path.Combine(Directory, name);
        if (!File.Exists(System.IO.Path.Combine(folder, StateFile)))
            throw new DataFormatException(pointer, 1, $"names checkpoint '{name}', which has no {StateFile}");
        return folder;
    }

    public static CheckpointState ReadState(string folder)
    {
        string path = System.IO.Path.Combine(folder, StateFile);
        try
        {
            return JsonSerializer.Deserialize<CheckpointState>(File.ReadAllText(path), Json)
                ?? throw new DataFormatException(path, 1, "empty checkpoint state");
        }
        catch (JsonException ex)
        {
            throw new DataFormatException(path, JsonErrors.Line(ex), $"invalid checkpoint state: {JsonErrors.Reason(ex)}");
        }
    }

    /// <summary>
    /// Writes a new generation: <paramref name="writeFiles"/> fills the temporary folder (weights, optimizer state),
    /// then the state file is added, the folder renamed and <c>latest</c> switched to it.
    /// </summary>
    public string Save(CheckpointState state, Action<string> writeFiles)
    {
        System.IO.Directory.CreateDirectory(Directory);
        foreach (var stale in System.IO.Directory.GetDirectories(Directory, "*.tmp"))
            System.IO.Directory.Delete(stale, recursive: true);

        int generation = Generations().Select(g => g.Number).DefaultIfEmpty(0).Max() + 1;
        string name = $"ckpt-{generation:D6}";
        string temp = System.IO.Path.Combine(Directory, name + ".tmp");
        System.IO.Directory.CreateDirectory(temp);
        writeFiles(temp);
        AtomicFile.WriteAllText(System.IO.Path.Combine(temp, StateFile), JsonSerializer.Serialize(state, Json));
        string final = System.IO.Path.Combine(Directory, name);
        System.IO.Directory.Move(temp, final);
        // The pointer must never name a generation whose folder entry a power loss could take back.
        FolderSync.Flush(Directory);
        AtomicFile.WriteAllText(System.IO.Path.Combine(Directory, LatestFile), name);

        foreach (var old in Generations().Where(g => g.Number < generation))
            System.IO.Directory.Delete(old.Path, recursive: true);
        return final;
    }

    private IEnumerable<(int Number, string Path)> Generations()
    {
        if (!System.IO.Directory.Exists(Directory))
            yield break;
        foreach (var folder in System.IO.Directory.GetDirectories(Directory, "ckpt-*"))
        {
            string suffix = System.IO.Path.GetFileName(folder)["ckpt-".Length..];
            if (int.TryParse(suffix, out int number))
                yield return (number, folder);
        }
    }
}
