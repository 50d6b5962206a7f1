using System.Diagnostics;
using SearchRerank.Core;
using SearchRerank.Train.Checkpoints;
using SearchRerank.Train.Modeling;
using SearchRerank.Train.Optimization;
using SearchRerank.Train.Recipes;
using TorchSharp;

namespace SearchRerank.Train.Stages;

/// <summary>
/// Runs one stage (or its remainder after a resume): optimizer steps over the objective's micro-batches, the log line
/// and progress report of each step, validation every validation_interval steps and at the end with
/// <see cref="EarlyStopping"/>, and checkpoints every checkpoint_interval steps and after each validation. The stage ends
/// holding its best validated weights (the next stage starts from them) and writes a final checkpoint. With ema_decay,
/// the weights validated, kept and ended with are the <see cref="WeightAverage"/> of the steps, not the last step's.
/// A cancellation is answered at the next step boundary with a checkpoint of that step and a <see cref="StoppedException"/>.
/// </summary>
internal sealed class StageLoop(TrainingSession session, int index, IStageObjective objective)
{
    private readonly StageSpec stage = session.Recipe.Stages[index];

    /// <summary>Optimizer steps the stage took in all (fewer than planned after an early stop).</summary>
    public long Run()
    {
        var resumed = session.ResumedInside(index);
        long groupsPerStep = (long)this.stage.Batch * this.stage.GradAccumulation;
        long stepsPerEpoch = Math.Max(1, objective.ItemsPerEpoch / groupsPerStep);
        long total = this.stage.Steps > 0 ? this.stage.Steps : this.stage.Epochs * stepsPerEpoch;
        var model = session.Model;
        using var optimizer = new CrossEncoderOptimizer(model, new OptimizerSettings
        {
            LearningRate = this.stage.LearningRate,
            WeightDecay = this.stage.WeightDecay,
            WarmupSteps = this.stage.Warmup,
            TotalSteps = total,
            AccumulationSteps = this.stage.GradAccumulation,
            MaxGradNorm = this.stage.ClipNorm,
        }, objective.ExtraParameters);
        using var average = this.stage.EmaDecay > 0 ? new WeightAverage(model, this.stage.EmaDecay) : null;
        var stopping = new EarlyStopping(session.Recipe.Validation.Patience);
        Dictionary<string, NamedTensor>? best = null;
        long step = 0;
        if (resumed is not null)
        {
            resumed.RestoreTraining(optimizer);
            resumed.RestoreExtra(objective.ExtraParameters);
            if (resumed.State.StageDone)
                return resumed.State.Step;
            var s = resumed.State;
            if (s.SamplerPosition != s.Step * groupsPerStep)
                throw new TrainingException($"{resumed.Folder}: sampler position {s.SamplerPosition} does not belong to step {s.Step} of stage '{this.stage.Name}'");
            (step, stopping) = (s.Step, new EarlyStopping(session.Recipe.Validation.Patience, s.BestNdcg, s.BestStep, s.SinceBest));
            best = resumed.BestWeights();
            if (average is not null)
                resumed.RestoreAverage(average);
        }

        model.train();
        var clock = Stopwatch.StartNew();
        double secondsPerStep = 0;
        bool stop = false;
        long saved = step;
        while (step < total && !stop)
        {
            if (session.Cancellation.IsCancellationRequested)
            {
                // A stop request is answered between steps, where the checkpoint is exact: --resume loses nothing.
                if (step > saved)
                    Checkpoint(step, false, stopping, optimizer, best, average);
                throw new StoppedException($"stage '{this.stage.Name}' stopped after step {step} of {total}; {session.Checkpoints.DescribeLatest()}", session.Cancellation);
            }
            long started = clock.ElapsedTicks;
            var (loss, pairs) = TrainStep(optimizer, step, groupsPerStep);
            step++;
            average?.Update(step);
            double seconds = (clock.ElapsedTicks - started) / (double)Stopwatch.Frequency;
            secondsPerStep = secondsPerStep == 0 ? seconds : 0.9 * secondsPerStep + 0.1 * seconds;
            double pairsPerSecond = pairs / Math.Max(seconds, 1e-9);
            session.Log.Step(this.stage.Name, step, total, pairs, loss, optimizer.LearningRate, optimizer.LastGradNorm, pairsPerSecond);
            session.Report("training", index, step, total, loss, pairsPerSecond, TimeSpan.FromSeconds(secondsPerStep * (total - step)));

            bool validate = objective.Validates && session.Validator is not null && (step == total || this.stage.ValidationInterval > 0 && step % this.stage.ValidationInterval == 0);
            if (validate)
            {
                session.Report("validating", index, step, total, loss, 0, null);
                var (isBest, stopNow) = average is null ? Validate(stopping, step) : average.WithAverage(() => Validate(stopping, step));
                if (isBest)
                {
                    best = average?.Weights() ?? model.Weights();
                    NonFinite.Require(best, $"stage {this.stage.Name} step {step}");
                }
                stop = stopNow;
            }
            if (step == total || stop)
                break;
            if (validate || step % session.Recipe.CheckpointInterval == 0)
            {
                Checkpoint(step, false, stopping, optimizer, best, average);
                saved = step;
            }
        }

        // The next stage (and the exported model) starts from this stage's best validated weights, or, in a stage
        // that does not validate, from its average.
        if (best is not null)
            model.LoadWeights(best, $"stage {this.stage.Name} best weights (step {stopping.BestStep})");
        else if (average is not null)
            model.LoadWeights(average.Weights(), $"stage {this.stage.Name} weight average (step {step})");
        Checkpoint(step, true, stopping, optimizer, null, null);
        return step;
    }

    /// <summary>One optimizer step: the accumulated micro-batches, each in its own dispose scope; returns the mean loss and the pairs seen.</summary>
    private (double Loss, int Pairs) TrainStep(CrossEncoderOptimizer optimizer, long step, long groupsPerStep)
    {
        double loss = 0;
        int pairs = 0;
        for (int micro = 0; micro < this.stage.GradAccumulation; micro++)
        {
            long position = step * groupsPerStep + (long)micro * this.stage.Batch;
            using var scope = torch.NewDisposeScope();
            var batch = objective.Loss(session.Model, position, this.stage.Batch, step);
            try
            {
                loss += optimizer.Backward(batch.Loss) / this.stage.GradAccumulation;
            }
            catch (NonFiniteLossException ex)
            {
                throw new TrainingException($"stage '{this.stage.Name}' step {step + 1}: non-finite training loss ({ex.Message}); training stopped, nothing was saved from this step and {session.Checkpoints.DescribeLatest()}. Lower the stage's lr or raise warmup.", ex);
            }
            pairs += batch.Pairs;
        }
        return (loss, pairs);
    }

    private (bool IsBest, bool Stop) Validate(EarlyStopping stopping, long step)
    {
        var validator = session.Validator!;
        // Not cancelled midway: a step is checkpointed with its validation, so a stop request waits for it to finish.
        var result = validator.Evaluate(session.Score, CancellationToken.None);
        session.LastNdcg = result.ModelNdcg;
        var (isBest, stop) = stopping.Observe(result.ModelNdcg, step);
        session.Log.Validation(this.stage.Name, step, result.ModelNdcg, validator.FirstStageNdcg, isBest);
        return (isBest, stop);
    }

    private void Checkpoint(long step, bool done, EarlyStopping stopping, CrossEncoderOptimizer optimizer, IReadOnlyDictionary<string, NamedTensor>? best, WeightAverage? average)
    {
        session.Log.Flush();
        long position = step * this.stage.Batch * this.stage.GradAccumulation;
        var state = new CheckpointState(session.Checkpoints.Fingerprint, index, step, done, stopping.BestNdcg, stopping.BestStep, stopping.SinceBest,
            session.LastNdcg ?? -1, session.Log.Length, position);
        session.Checkpoints.Save(state, session.Model, optimizer, best, average?.Weights(), objective.ExtraParameters);
    }
}
