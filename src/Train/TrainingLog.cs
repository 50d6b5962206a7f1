using System.Globalization;
using System.Text.Json;
using SearchRerank.Train.Validation;

namespace SearchRerank.Train;

/// <summary>
/// The run's JSONL log: the query split, one line per optimizer step (<c>"type":"step"</c>), validation, self-teacher ranking and the
/// final fusion choice. Opened at the length recorded in the checkpoint being resumed, so lines written after that checkpoint
/// by the killed run are dropped and the resumed run's log reads as if it had never stopped.
/// </summary>
internal sealed class TrainingLog : IDisposable
{
    private readonly FileStream stream;

    public TrainingLog(string path, long keepBytes)
    {
        stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.Write, FileShare.Read);
        stream.SetLength(Math.Min(keepBytes, stream.Length));
        stream.Seek(0, SeekOrigin.End);
    }

    public long Length => stream.Length;

    /// <param name="pairs">Pairs the step trained on; summed over the log it gives the learning curve's x axis.</param>
    public void Step(string stage, long step, long total, int pairs, double loss, double learningRate, double gradNorm, double pairsPerSecond) =>
        Write(w =>
        {
            w.WriteString("type", "step");
            w.WriteString("stage", stage);
            w.WriteNumber("step", step);
            w.WriteNumber("total", total);
            w.WriteNumber("pairs", pairs);
            Number(w, "loss", loss);
            Number(w, "lr", learningRate);
            Number(w, "grad_norm", gradNorm);
            Number(w, "pairs_per_s", Math.Round(pairsPerSecond, 2));
        });

    public void Validation(string stage, long step, double ndcg, double firstStageNdcg, bool best) =>
        Write(w =>
        {
            w.WriteString("type", "validation");
            w.WriteString("stage", stage);
            w.WriteNumber("step", step);
            Number(w, "ndcg_cut_10", ndcg);
            Number(w, "first_stage_ndcg_cut_10", firstStageNdcg);
            w.WriteBoolean("best", best);
        });

    /// <summary>The query split: training and held-out counts, and the held-out queries sharing a relevant document with training.</summary>
    public void Split(int training, int validation, int validationSharingATrainingPositive) =>
        Write(w =>
        {
            w.WriteString("type", "split");
            w.WriteNumber("training_queries", training);
            w.WriteNumber("validation_queries", validation);
            w.WriteNumber("validation_sharing_a_training_positive", validationSharingATrainingPositive);
        });

    /// <summary>A self teacher's ranking: its fusion weight, where that came from, how many queries it ranked and the run file.</summary>
    public void Teacher(string stage, double alpha, bool tuned, int queries, string run) =>
        Write(w =>
        {
            w.WriteString("type", "teacher");
            w.WriteString("stage", stage);
            Number(w, "alpha", alpha);
            w.WriteString("alpha_from", tuned ? "validation" : "recipe");
            w.WriteNumber("queries", queries);
            w.WriteString("run", run);
        });

    /// <summary>Negatives a stage's false-negative filter left out of its mined pools, and the ones it kept.</summary>
    public void Negatives(string stage, long removed, long kept) =>
        Write(w =>
        {
            w.WriteString("type", "negatives");
            w.WriteString("stage", stage);
            w.WriteNumber("removed", removed);
            w.WriteNumber("kept", kept);
        });

    public void Fusion(FusionResult fusion) =>
        Write(w =>
        {
            w.WriteString("type", "fusion");
            Number(w, "alpha", fusion.Alpha);
            Number(w, "fused_ndcg_cut_10", fusion.Ndcg);
            Number(w, "model_ndcg_cut_10", fusion.ModelNdcg);
            Number(w, "first_stage_ndcg_cut_10", fusion.FirstStageNdcg);
        });

    public void Flush() => stream.Flush(flushToDisk: true);

    public void Dispose() => stream.Dispose();

    private static void Number(Utf8JsonWriter writer, string name, double value)
    {
        // JSON has no NaN; a non-finite value is written as a string so the line stays parseable.
        if (double.IsFinite(value))
            writer.WriteNumber(name, value);
        else
            writer.WriteString(name, value.ToString(CultureInfo.InvariantCulture));
    }

    private void Write(Action<Utf8JsonWriter> body)
    {
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }
        stream.Write("\n"u8);
    }
}
