// Build step of build/LibTorchSharpGlibcxx.targets, compiled by MSBuild's RoslynCodeTaskFactory (and into
// tests/Train.Tests, which checks it on the real library). Why it exists: see that file and docs/training.md.
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

#nullable enable

/// <summary>
/// Gives the build an <c>libLibTorchSharp.so</c> that loads on a system whose libstdc++ lacks
/// <see cref="Version"/>: asks the system's dynamic loader whether the library's version requirements are met and,
/// only when that one version is missing, writes a copy whose requirement of it is weak
/// (<see cref="ElfVersionNeeds.MarkWeak"/>) into <see cref="OutputDirectory"/> and asks the loader again, now with
/// symbol binding, to prove that the copy loads. <see cref="Result"/> is that copy, or <see cref="Library"/> itself
/// when nothing had to change. The original (in the NuGet cache) is never written.
/// </summary>
public sealed class WeakenGlibcxxRequirement : Microsoft.Build.Utilities.Task
{
    public const string Version = "GLIBCXX_3.4.32";
    public const string VersionFile = "libstdc++.so.6";

    [Required]
    public string Library { get; set; } = "";

    /// <summary>Folders holding the libraries it needs (libtorch, libc10), for the loader checks.</summary>
    public string[] SearchPaths { get; set; } = Array.Empty<string>();

    [Required]
    public string OutputDirectory { get; set; } = "";

    [Output]
    public string Result { get; set; } = "";

    public override bool Execute()
    {
        try
        {
            Result = Run();
            return !Log.HasLoggedErrors;
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            Log.LogError($"{Library}: {ex.Message}");
            return false;
        }
    }

    private string Run()
    {
        string patched = Path.Combine(OutputDirectory, Path.GetFileName(Library));
        string stamp = patched + ".source";
        // Decided before for this very file: reuse, so an incremental build costs one stat.
        if (File.Exists(stamp) && File.ReadAllText(stamp) == Fingerprint(Library))
            return File.Exists(patched) ? patched : Library;

        string loader = ElfVersionNeeds.Interpreter(File.ReadAllBytes("/proc/self/exe"));
        string missing = MissingVersion(LoaderCheck(loader, Library, bind: false));
        string result = Library;
        if (missing == Version)
        {
            byte[] bytes = File.ReadAllBytes(Library);
            var symbols = ElfVersionNeeds.MarkWeak(bytes, VersionFile, Version);
            Directory.CreateDirectory(OutputDirectory);
            // File.Copy keeps the file mode; the bytes are then replaced. Written beside the target, then renamed.
            string temp = patched + ".tmp";
            File.Copy(Library, temp, overwrite: true);
            File.WriteAllBytes(temp, bytes);
            if (File.Exists(patched))
                File.Delete(patched);
            File.Move(temp, patched);
            string problems = LoadProblems(LoaderCheck(loader, patched, bind: true));
            if (problems.Length > 0)
            {
                File.Delete(patched);
                Log.LogError($"{patched}: still does not load after marking {Version} weak: {problems}");
                return Library;
            }
            Log.LogMessage(MessageImportance.High,
                $"{Path.GetFileName(Library)}: the system {VersionFile} lacks {Version}; wrote a copy that needs it only weakly " +
                $"(its only symbols, {string.Join(", ", symbols)}, are never bound), and the loader loads it: {patched}");
            result = patched;
        }
        else
        {
            if (missing.Length > 0)
                Log.LogWarning($"{Library}: the dynamic loader reports a missing {missing}, which this step does not fix; TorchSharp will fail to load");
            if (File.Exists(patched))
                File.Delete(patched);
        }
        Directory.CreateDirectory(OutputDirectory);
        File.WriteAllText(stamp, Fingerprint(Library));
        return result;
    }

    /// <summary>The first "version `X' not found" the loader printed, or "" when every requirement is met.</summary>
    public static string MissingVersion(string loaderOutput)
    {
        const string prefix = "version `";
        int start = loaderOutput.IndexOf(prefix, StringComparison.Ordinal);
        if (start < 0)
            return "";
        start += prefix.Length;
        int end = loaderOutput.IndexOf('\'', start);
        return end > start ? loaderOutput.Substring(start, end - start) : "";
    }

    /// <summary>
    /// The loader's complaints that stop a load: a missing library, a missing (non-weak) version, an undefined symbol.
    /// "weak version `X' not found" is only a warning: the loader goes on without it.
    /// </summary>
    public static string LoadProblems(string loaderOutput)
    {
        var problems = new List<string>();
        foreach (string line in loaderOutput.Split('\n'))
        {
            bool weak = line.IndexOf("weak version `", StringComparison.Ordinal) >= 0;
            if (!weak && (line.IndexOf("not found", StringComparison.Ordinal) >= 0 || line.IndexOf("undefined symbol", StringComparison.Ordinal) >= 0))
                problems.Add(line.Trim());
        }
        return string.Join("; ", problems);
    }

    /// <summary>
    /// What <c>ldd</c> (or, with <paramref name="bind"/>, <c>ldd -r</c>) prints for a library: glibc's loader maps it
    /// and its dependencies and checks every version requirement; binding also resolves every relocation's symbol.
    /// Nothing of the library runs.
    /// </summary>
    private string LoaderCheck(string loader, string library, bool bind)
    {
        var start = new ProcessStartInfo(loader, "--list \"" + library + "\"") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        string inherited = Environment.GetEnvironmentVariable("LD_LIBRARY_PATH") ?? "";
        start.Environment["LD_LIBRARY_PATH"] = string.Join(":", SearchPaths) + (inherited.Length > 0 ? ":" + inherited : "");
        if (bind)
        {
            start.Environment["LD_WARN"] = "yes";
            start.Environment["LD_BIND_NOW"] = "yes";
        }
        using var process = Process.Start(start);
        if (process is null)
            throw new IOException($"cannot start {loader}");
        var stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        // Dependencies that are not found show on stdout ("libx.so => not found"), version and symbol errors on stderr.
        return stderr.Result + "\n" + stdout;
    }

    private static string Fingerprint(string path)
    {
        var info = new FileInfo(path);
        return $"{info.FullName}\n{info.Length}\n{info.LastWriteTimeUtc.Ticks}\n{Version}";
    }
}

/// <summary>
/// The few ELF64 little-endian structures the step needs: the version requirements (<c>.gnu.version_r</c>, one
/// <c>Elf64_Verneed</c> per library with its <c>Elf64_Vernaux</c> versions), the symbol versions
/// (<c>.gnu.version</c>), the relocations, and the program interpreter. Layouts: glibc's elf.h.
/// </summary>
public static class ElfVersionNeeds
{
    public const ushort WeakFlag = 0x2; // VER_FLG_WEAK
    private const uint ShtRela = 4, ShtRel = 9, ShtDynsym = 11, ShtVerneed = 0x6ffffffe, ShtVersym = 0x6fffffff;
    private const uint PtInterp = 3;

    /// <summary>
    /// Sets <c>vna_flags |= VER_FLG_WEAK</c> on the requirement of <paramref name="version"/> from
    /// <paramref name="file"/>, in place. A weak requirement that the system does not define is skipped by glibc's
    /// loader instead of failing the load. Refused when a relocation would bind a symbol of that version (then the
    /// symbol is really used); returns the names of the symbols tagged with it, which are therefore never bound.
    /// </summary>
    public static IReadOnlyList<string> MarkWeak(byte[] elf, string file, string version)
    {
        var sections = Sections(elf);
        var verneed = Single(sections, ShtVerneed, ".gnu.version_r");
        long aux = FindRequirement(elf, verneed, sections[(int)verneed.Link], file, version);
        if (aux < 0)
            throw new InvalidDataException($"no requirement of {version} from {file} in .gnu.version_r");
        int index = U16(elf, aux + 6); // vna_other: the version index that .gnu.version entries use

        var dynsym = Single(sections, ShtDynsym, ".dynsym");
        var versym = Single(sections, ShtVersym, ".gnu.version");
        var dynstr = sections[(int)dynsym.Link];
        var symbols = new List<string>();
        for (long s = 0; s < dynsym.Size / 24; s++)
            if (SymbolVersion(elf, versym, s) == index)
                symbols.Add(CString(elf, dynstr.Offset + U32(elf, dynsym.Offset + 24 * s)));
        foreach (var section in sections)
        {
            if (section.Type != ShtRela && section.Type != ShtRel)
                continue;
            long size = section.Type == ShtRela ? 24 : 16;
            for (long r = section.Offset; r + size <= section.Offset + section.Size; r += size)
            {
                long symbol = (long)(U64(elf, r + 8) >> 32); // ELF64_R_SYM(r_info)
                if (symbol != 0 && SymbolVersion(elf, versym, symbol) == index)
                    throw new InvalidDataException($"a relocation binds {CString(elf, dynstr.Offset + U32(elf, dynsym.Offset + 24 * symbol))} of {version}; marking the version weak would break the library");
            }
        }

        int flags = U16(elf, aux + 4) | WeakFlag;
        elf[aux + 4] = (byte)flags;
        elf[aux + 5] = (byte)(flags >> 8);
        return symbols;
    }

    /// <summary>The <c>vna_flags</c> of the requirement of <paramref name="version"/> from <paramref name="file"/>, or −1 when there is none.</summary>
    public static int RequirementFlags(byte[] elf, string file, string version)
    {
        var sections = Sections(elf);
        var verneed = Single(sections, ShtVerneed, ".gnu.version_r");
        long aux = FindRequirement(elf, verneed, sections[(int)verneed.Link], file, version);
        return aux < 0 ? -1 : U16(elf, aux + 4);
    }

    /// <summary>The program interpreter (PT_INTERP) of an executable: the dynamic loader it runs under.</summary>
    public static string Interpreter(byte[] elf)
    {
        CheckHeader(elf);
        long phoff = (long)U64(elf, 0x20);
        int phentsize = U16(elf, 0x36), phnum = U16(elf, 0x38);
        for (int i = 0; i < phnum; i++)
        {
            long header = phoff + (long)i * phentsize;
            if (U32(elf, header) == PtInterp)
                return CString(elf, (long)U64(elf, header + 8));
        }
        throw new InvalidDataException("the executable names no program interpreter (statically linked?)");
    }

    private sealed class Section
    {
        public Section(uint type, long offset, long size, uint link, uint info)
        {
            Type = type;
            Offset = offset;
            Size = size;
            Link = link;
            Info = info;
        }

        public uint Type { get; }
        public long Offset { get; }
        public long Size { get; }
        public uint Link { get; }
        public uint Info { get; }
    }

    // Elf64_Verneed: vn_version u16, vn_cnt u16, vn_file u32, vn_aux u32, vn_next u32.
    // Elf64_Vernaux: vna_hash u32, vna_flags u16, vna_other u16, vna_name u32, vna_next u32.
    private static long FindRequirement(byte[] elf, Section verneed, Section strings, string file, string version)
    {
        long entry = verneed.Offset;
        for (uint n = 0; n < verneed.Info; n++)
        {
            string needed = CString(elf, strings.Offset + U32(elf, entry + 4));
            long aux = entry + U32(elf, entry + 8);
            for (int a = 0; a < U16(elf, entry + 2); a++)
            {
                if (needed == file && CString(elf, strings.Offset + U32(elf, aux + 8)) == version)
                    return aux;
                aux += U32(elf, aux + 12);
            }
            uint next = U32(elf, entry + 12);
            if (next == 0)
                break;
            entry += next;
        }
        return -1;
    }

    private static int SymbolVersion(byte[] elf, Section versym, long symbol) => U16(elf, versym.Offset + 2 * symbol) & 0x7fff;

    private static List<Section> Sections(byte[] elf)
    {
        CheckHeader(elf);
        long shoff = (long)U64(elf, 0x28);
        int shentsize = U16(elf, 0x3A), shnum = U16(elf, 0x3C);
        if (shoff <= 0 || shnum == 0 || shoff + (long)shnum * shentsize > elf.Length)
            throw new InvalidDataException("no section headers");
        var sections = new List<Section>(shnum);
        for (int i = 0; i < shnum; i++)
        {
            long header = shoff + (long)i * shentsize;
            sections.Add(new Section(U32(elf, header + 4), (long)U64(elf, header + 24), (long)U64(elf, header + 32), U32(elf, header + 40), U32(elf, header + 44)));
        }
        return sections;
    }

    private static Section Single(List<Section> sections, uint type, string name)
    {
        Section? found = null;
        foreach (var section in sections)
            if (section.Type == type)
                found = found is null ? section : throw new InvalidDataException($"more than one {name} section");
        return found ?? throw new InvalidDataException($"no {name} section");
    }

    private static void CheckHeader(byte[] elf)
    {
        if (elf.Length < 0x40 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F')
            throw new InvalidDataException("not an ELF file");
        if (elf[4] != 2 || elf[5] != 1)
            throw new InvalidDataException("not a 64-bit little-endian ELF file");
    }

    private static int U16(byte[] elf, long at) => Checked(elf, at, 2) | elf[at + 1] << 8;

    private static uint U32(byte[] elf, long at) => (uint)(Checked(elf, at, 4) | elf[at + 1] << 8 | elf[at + 2] << 16 | elf[at + 3] << 24);

    private static ulong U64(byte[] elf, long at) => U32(elf, at) | (ulong)U32(elf, at + 4) << 32;

    // Returns the first byte after checking that the field lies inside the file: a truncated file is an error, not a crash.
    private static int Checked(byte[] elf, long at, int size)
    {
        if (at < 0 || at + size > elf.Length)
            throw new InvalidDataException($"offset {at} is outside the {elf.Length}-byte file (truncated?)");
        return elf[at];
    }

    private static string CString(byte[] elf, long offset)
    {
        Checked(elf, offset, 1);
        int end = Array.IndexOf(elf, (byte)0, (int)offset);
        if (end < 0)
            throw new InvalidDataException($"unterminated string at offset {offset}");
        return Encoding.ASCII.GetString(elf, (int)offset, end - (int)offset);
    }
}
