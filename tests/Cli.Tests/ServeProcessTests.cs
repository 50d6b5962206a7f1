using System.Net;
using System.Text.RegularExpressions;

namespace SearchRerank.Cli.Tests;

/// <summary>
/// <c>searchrerank serve</c> as an operator runs it: a real process on a loopback port it picks, answering requests,
/// and stopping on SIGTERM by draining: a request in flight completes, then the process exits 0 and the port closes.
/// </summary>
public sealed class ServeProcessTests : IDisposable
{
    private readonly TempDirectory temp = new();

    public void Dispose() => temp.Dispose();

    [Fact]
    public async Task Serve_answers_on_loopback_and_SIGTERM_drains_then_exits_0()
    {
        var index = temp.Combine("index");
        Assert.Equal(0, CliRunner.Run(temp.Path, "index", "--corpus", SyntheticCorpus.Write(temp.Combine("corpus.tsv"), 3000), "--index", index).ExitCode);
        using var serve = new ToolProcess(temp.Path, "serve", "--index", $"t={index}", "--model", CliRunner.SharedPath("reference", "tiny-bert-ce"),
            "--urls", "http://127.0.0.1:0");
        Assert.True(serve.WaitUntil(() => serve.StdoutSoFar.Contains("serving http://127.0.0.1:", StringComparison.Ordinal), TimeSpan.FromSeconds(60)),
            serve.StderrSoFar);
        var address = Regex.Match(serve.StdoutSoFar, @"serving (http://127\.0\.0\.1:\d+)").Groups[1].Value;
        using var client = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(60) };
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/readyz")).StatusCode);

        // A search that re-ranks 1,000 candidates is in flight when SIGTERM comes; it must still be answered.
        var inFlight = client.GetAsync("/v1/t/search?query=aspirin%20coffee&hits=10&rerank=true&depth=1000");
        await Task.Delay(300);
        serve.Signal("TERM");
        using (var response = await inFlight)
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var stopped = serve.Wait(TimeSpan.FromSeconds(30));
        Assert.True(stopped.ExitCode == 0, stopped.ToString());
        Assert.Contains("stopping: draining requests in flight", stopped.Stdout);
        Assert.EndsWith("stopped\n", stopped.Stdout);
        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync("/healthz"));
    }
}
