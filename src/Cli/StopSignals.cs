using System.Runtime.InteropServices;

namespace SearchRerank.Cli;

/// <summary>
/// SIGINT (Ctrl-C) and SIGTERM as a cooperative stop: the first one cancels <see cref="Token"/> and keeps the process
/// alive, so the command stops at its next safe point (a batch boundary, a training step) and says what it kept; a
/// second one is not intercepted and ends the process at once, as a user pressing Ctrl-C twice expects.
/// The exit code then tells which signal stopped the work, as a shell does for a process killed by it: 128 + signal.
/// </summary>
internal sealed class StopSignals : IDisposable
{
    private readonly CancellationTokenSource source = new();
    private readonly PosixSignalRegistration[] registrations;
    private int received;

    public StopSignals()
    {
        registrations = [PosixSignalRegistration.Create(PosixSignal.SIGINT, Handle), PosixSignalRegistration.Create(PosixSignal.SIGTERM, Handle)];
    }

    public CancellationToken Token => source.Token;

    /// <summary>The first signal received (SIGINT or SIGTERM), or null while none came.</summary>
    public PosixSignal? Received => received == 0 ? null : (PosixSignal)received;

    /// <summary>130 after SIGINT, 143 after SIGTERM (128 + the signal's number), 130 for a cancellation without a signal.</summary>
    public int ExitCode => Received == PosixSignal.SIGTERM ? 143 : 130;

    public string Name => Received == PosixSignal.SIGTERM ? "SIGTERM" : "SIGINT";

    private void Handle(PosixSignalContext context)
    {
        if (Interlocked.CompareExchange(ref received, (int)context.Signal, 0) != 0)
            return;
        context.Cancel = true;
        source.Cancel();
    }

    public void Dispose()
    {
        foreach (var registration in registrations)
            registration.Dispose();
        source.Dispose();
    }
}
