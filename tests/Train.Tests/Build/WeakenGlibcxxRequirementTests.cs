using System.Diagnostics;
using System.Reflection;

namespace SearchRerank.Train.Tests.Build;

/// <summary>
/// build/WeakenGlibcxxRequirement.cs on TorchSharp's real libLibTorchSharp.so: the patch changes exactly the flags of
/// the one requirement, refuses a version that relocations use, and the build put the right file next to these tests.
/// </summary>
public sealed class WeakenGlibcxxRequirementTests
{
    private const string Version = WeakenGlibcxxRequirement.Version;
    private const string Library = WeakenGlibcxxRequirement.VersionFile;

    private static string PackageFile => typeof(WeakenGlibcxxRequirementTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "LibTorchSharpPackageFile").Value!;

    private static string OutputFile => Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");

    [Fact]
    public void MarkingTheRequirementWeakChangesOnlyItsFlags()
    {
        byte[] original = File.ReadAllBytes(PackageFile);
        byte[] patched = (byte[])original.Clone();
        Assert.Equal(0, ElfVersionNeeds.RequirementFlags(original, Library, Version));

        var symbols = ElfVersionNeeds.MarkWeak(patched, Library, Version);

        Assert.Equal(["_ZSt21ios_base_library_initv"], symbols);
        Assert.Equal(ElfVersionNeeds.WeakFlag, ElfVersionNeeds.RequirementFlags(patched, Library, Version));
        Assert.Equal(0, ElfVersionNeeds.RequirementFlags(patched, Library, "GLIBCXX_3.4.30"));
        var changed = Enumerable.Range(0, original.Length).Where(i => original[i] != patched[i]).ToArray();
        Assert.Single(changed);
        Assert.Equal(ElfVersionNeeds.WeakFlag, original[changed[0]] ^ patched[changed[0]]);
    }

    [Fact]
    public void AVersionThatARelocationBindsIsRefused()
    {
        // std::condition_variable::wait is GLIBCXX_3.4.30 and really called: weakening that version would break the library.
        byte[] bytes = File.ReadAllBytes(PackageFile);
        var ex = Assert.Throws<InvalidDataException>(() => ElfVersionNeeds.MarkWeak(bytes, Library, "GLIBCXX_3.4.30"));
        Assert.Contains("relocation binds", ex.Message);
        Assert.Throws<InvalidDataException>(() => ElfVersionNeeds.MarkWeak(bytes, Library, "GLIBCXX_9.9"));
    }

    [Fact]
    public void MalformedFilesAreErrorsNotCrashes()
    {
        Assert.Contains("not an ELF file", Assert.Throws<InvalidDataException>(() => ElfVersionNeeds.MarkWeak(new byte[100], Library, Version)).Message);
        byte[] bytes = File.ReadAllBytes(PackageFile);
        Assert.Throws<InvalidDataException>(() => ElfVersionNeeds.MarkWeak(bytes[..4096], Library, Version));
    }

    [Fact]
    public void LoaderMessagesAreReadAsGlibcPrintsThem()
    {
        const string missing = "x.so: /lib/x86_64-linux-gnu/libstdc++.so.6: version `GLIBCXX_3.4.32' not found (required by x.so)";
        Assert.Equal(Version, WeakenGlibcxxRequirement.MissingVersion(missing));
        Assert.Equal("", WeakenGlibcxxRequirement.MissingVersion("\tlibc.so.6 => /lib/libc.so.6 (0x1)"));
        Assert.Equal("", WeakenGlibcxxRequirement.LoadProblems("x.so: libstdc++.so.6: weak version `GLIBCXX_3.4.32' not found (required by x.so)\n\tlibc.so.6 => /lib/libc.so.6"));
        Assert.NotEqual("", WeakenGlibcxxRequirement.LoadProblems("\tlibtorch.so => not found"));
        Assert.NotEqual("", WeakenGlibcxxRequirement.LoadProblems("undefined symbol: _ZN3fooEv\t(./x.so)"));
        Assert.EndsWith(".so.2", ElfVersionNeeds.Interpreter(File.ReadAllBytes("/proc/self/exe")));
    }

    [Fact]
    public void TheBuildCarriesAWeakCopyExactlyWhereTheSystemLibstdcxxLacksTheVersion()
    {
        if (!OperatingSystem.IsLinux())
            return;
        var loader = new ProcessStartInfo(ElfVersionNeeds.Interpreter(File.ReadAllBytes("/proc/self/exe")), $"--list \"{PackageFile}\"") { RedirectStandardError = true, RedirectStandardOutput = true };
        // The loader stops at the first library it cannot find (libtorch.so, which is not beside the package's copy)
        // before it checks versions: point it at the build output, which holds libtorch, as the build task does.
        loader.Environment["LD_LIBRARY_PATH"] = Path.GetDirectoryName(OutputFile)!;
        using var process = Process.Start(loader)!;
        string output = process.StandardError.ReadToEnd() + process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        bool lacking = WeakenGlibcxxRequirement.MissingVersion(output) == Version;

        byte[] carried = File.ReadAllBytes(OutputFile);
        Assert.Equal(lacking ? ElfVersionNeeds.WeakFlag : 0, ElfVersionNeeds.RequirementFlags(carried, Library, Version));
        if (!lacking)
            Assert.Equal(File.ReadAllBytes(PackageFile), carried);
        // And it loads: libtorch runs in this very process.
        TorchRuntime.EnsureLoaded();
    }
}
