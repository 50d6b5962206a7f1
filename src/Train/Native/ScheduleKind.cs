// SearchRerank — learning-rate schedule.
namespace SearchRerank.Train.Native;

/// <summary>Mirrors srt_schedule; keep in sync. Both warm up linearly over the warmup steps.</summary>
public enum ScheduleKind
{
    /// <summary>Then decays linearly to 0 at the total step count (transformers' get_linear_schedule_with_warmup).</summary>
    Linear = 0,
    /// <summary>Then stays at the learning rate.</summary>
    Constant = 1,
}
