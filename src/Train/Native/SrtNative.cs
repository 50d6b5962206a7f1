// SearchRerank — P/Invoke declarations for src/Train/native/include/srtrain.h.
using System.Runtime.InteropServices;

namespace SearchRerank.Train.Native;

/// <summary>
/// Every entry point of libsrtrain.so. Order and signatures follow srtrain.h; keep them in sync.
/// Status pointers returned here must go through <see cref="SrtStatus.Check"/>, which releases them.
/// </summary>
internal static unsafe partial class SrtNative
{
    private const string Library = "srtrain";

    [StructLayout(LayoutKind.Sequential)]
    internal struct Config
    {
        public long VocabSize;
        public long HiddenSize;
        public long NumHiddenLayers;
        public long NumAttentionHeads;
        public long IntermediateSize;
        public long MaxPositionEmbeddings;
        public long TypeVocabSize;
        public long PadTokenId;
        public double LayerNormEps;
        public double HiddenDropoutProb;
        public double AttentionProbsDropoutProb;
        public int ExactMatch;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct Batch
    {
        public int* InputIds;
        public int* TokenTypeIds;
        public int* AttentionMask;
        public int* ExactMatchIds;
        public long BatchSize;
        public long Sequence;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct TrainerOptions
    {
        public double LearningRate;
        public double WeightDecay;
        public double Beta1;
        public double Beta2;
        public double Epsilon;
        public long WarmupSteps;
        public long TotalSteps;
        public int AccumulationSteps;
        public double MaxGradNorm;
        public int Optimizer;
        public int Schedule;
        public int Dropout;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct Objective
    {
        public int Loss;
        public long GroupSize;
        public float* Labels;
        public float* GroupWeights;
        public double Temperature;
    }

    [LibraryImport(Library, EntryPoint = "srt_status_code")]
    internal static partial int StatusCode(IntPtr status);

    [LibraryImport(Library, EntryPoint = "srt_status_message")]
    internal static partial IntPtr StatusMessage(IntPtr status);

    [LibraryImport(Library, EntryPoint = "srt_status_file")]
    internal static partial IntPtr StatusFile(IntPtr status);

    [LibraryImport(Library, EntryPoint = "srt_status_line")]
    internal static partial int StatusLine(IntPtr status);

    [LibraryImport(Library, EntryPoint = "srt_status_release")]
    internal static partial void StatusRelease(IntPtr status);

    [LibraryImport(Library, EntryPoint = "srt_set_num_threads")]
    internal static partial IntPtr SetNumThreads(int threads);

    [LibraryImport(Library, EntryPoint = "srt_cuda_available")]
    internal static partial IntPtr CudaAvailable(out int available);

    [LibraryImport(Library, EntryPoint = "srt_model_create", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial IntPtr ModelCreate(in Config config, ulong seed, string device, out ModelHandle model);

    [LibraryImport(Library, EntryPoint = "srt_model_release")]
    internal static partial void ModelRelease(IntPtr model);

    [LibraryImport(Library, EntryPoint = "srt_model_is_cuda")]
    internal static partial IntPtr ModelIsCuda(ModelHandle model, out int isCuda);

    [LibraryImport(Library, EntryPoint = "srt_model_parameter_count")]
    internal static partial IntPtr ModelParameterCount(ModelHandle model, out long count);

    [LibraryImport(Library, EntryPoint = "srt_model_parameter_name")]
    internal static partial IntPtr ModelParameterName(ModelHandle model, long index, out IntPtr name);

    [LibraryImport(Library, EntryPoint = "srt_model_parameter_shape", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial IntPtr ModelParameterShape(ModelHandle model, string name, long* shape, int capacity, out int rank);

    [LibraryImport(Library, EntryPoint = "srt_model_get_parameter", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial IntPtr ModelGetParameter(ModelHandle model, string name, float* data, long count);

    [LibraryImport(Library, EntryPoint = "srt_model_set_parameter", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial IntPtr ModelSetParameter(ModelHandle model, string name, float* data, long count);

    [LibraryImport(Library, EntryPoint = "srt_model_forward")]
    internal static partial IntPtr ModelForward(ModelHandle model, in Batch batch, float* logits);

    [LibraryImport(Library, EntryPoint = "srt_trainer_create")]
    internal static partial IntPtr TrainerCreate(ModelHandle model, in TrainerOptions options, out TrainerHandle trainer);

    [LibraryImport(Library, EntryPoint = "srt_trainer_release")]
    internal static partial void TrainerRelease(IntPtr trainer);

    [LibraryImport(Library, EntryPoint = "srt_trainer_step")]
    internal static partial IntPtr TrainerStep(TrainerHandle trainer, in Batch batch, in Objective objective, out double loss);

    [LibraryImport(Library, EntryPoint = "srt_trainer_state")]
    internal static partial IntPtr TrainerState(TrainerHandle trainer, out long step, out double learningRate, out double gradNorm);

    [LibraryImport(Library, EntryPoint = "srt_trainer_grad_norm", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial IntPtr TrainerGradNorm(TrainerHandle trainer, string name, out double norm);

    [LibraryImport(Library, EntryPoint = "srt_trainer_save", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial IntPtr TrainerSave(TrainerHandle trainer, string path);

    [LibraryImport(Library, EntryPoint = "srt_trainer_load", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial IntPtr TrainerLoad(TrainerHandle trainer, string path);
}
