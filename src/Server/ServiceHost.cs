using System.Reflection;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Metrics;

namespace SearchRerank.Server;

/// <summary>
/// Builds the service: Kestrel on <see cref="ServiceOptions.Urls"/> (loopback by default) with the body limit, the
/// APIs (<see cref="SearchApi"/>, <see cref="RerankApi"/>, <see cref="DocumentApi"/>, <see cref="HealthApi"/>, and on a
/// primary <see cref="ReplicationApi"/>), the
/// search page at <c>/</c>, OpenTelemetry metrics in Prometheus format at <c>/metrics</c>, the OpenAPI document at
/// <c>/openapi/v1.json</c>, CORS only for the origins given, JSON errors, and a drain of requests in flight on stop.
/// </summary>
internal static class ServiceHost
{
    /// <summary>A service ready to <c>StartAsync</c>; it owns <paramref name="state"/> and disposes it when it stops.</summary>
    public static WebApplication Build(ServiceOptions options, ServiceState state)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls([.. options.Urls]);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = options.MaxBodyBytes);
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = options.DrainTimeout);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddSingleton(state);
        builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.Encoder = ErrorResponses.Json.Encoder);
        builder.Services.AddOpenApi();
        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(ServiceMetrics.MeterName)
            .AddAspNetCoreInstrumentation()
            .AddPrometheusExporter());
        if (options.CorsOrigins.Count > 0)
            builder.Services.AddCors(cors => cors.AddDefaultPolicy(policy => policy.WithOrigins([.. options.CorsOrigins]).AllowAnyHeader().AllowAnyMethod()));

        var app = builder.Build();
        ErrorResponses.Use(app);
        if (options.CorsOrigins.Count > 0)
            app.UseCors();
        app.Lifetime.ApplicationStopping.Register(state.StartDraining);
        app.Lifetime.ApplicationStopped.Register(state.Dispose);

        app.MapGet("/", () => Results.Content(Page.Value, "text/html; charset=utf-8")).ExcludeFromDescription();
        app.MapOpenApi();
        app.MapPrometheusScrapingEndpoint();
        HealthApi.Map(app);
        SearchApi.Map(app, options);
        RerankApi.Map(app, options);
        DocumentApi.Map(app, options);
        ReplicationApi.Map(app, options, state);
        return app;
    }

    /// <summary>The addresses Kestrel listens on once started (a port 0 in the options becomes the port it got).</summary>
    public static IReadOnlyList<string> Addresses(WebApplication app) =>
        [.. app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? []];

    private static readonly Lazy<string> Page = new(() =>
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("SearchRerank.Server.index.html")!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });
}
