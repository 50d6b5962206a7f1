using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace SearchRerank.Train.Onnx;

/// <summary>
/// Whether ONNX Runtime's uint8 × int8 kernels on this CPU can saturate at full weight range. Without VNNI
/// (AVX512-VNNI or AVX-VNNI) x86 multiplies with <c>vpmaddubsw</c>, whose pairwise 16-bit sums overflow for large
/// activations times large weights; measured on an AVX2-only AMD EPYC: the reference model's int8 scores moved by
/// 1.36 against a score spread of 2.79 at full range. Arm's dot-product kernels widen to 32 bits and do not saturate.
/// </summary>
internal static class Int8Saturation
{
    /// <summary>True when full-range int8 weights can saturate here, so quantizing should reduce the range.</summary>
    public static bool OnThisCpu { get; } = X86Base.IsSupported && !AvxVnni.IsSupported && !CpuInfoListsAvx512Vnni();

    // .NET 10 exposes AVX-VNNI but not AVX512-VNNI (Ice Lake, Cascade Lake, Zen 4); Linux names it in /proc/cpuinfo.
    // Elsewhere it stays unknown and the safe answer is "can saturate".
    private static bool CpuInfoListsAvx512Vnni()
    {
        if (!RuntimeInformation.IsOSPlatform(OSPlatform.Linux))
            return false;
        try
        {
            return File.ReadLines("/proc/cpuinfo").Any(line => line.StartsWith("flags", StringComparison.Ordinal)
                && line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Contains("avx512_vnni"));
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }
}
