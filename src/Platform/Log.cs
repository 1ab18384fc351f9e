using Microsoft.Extensions.Logging;

namespace Socle.Platform;

/// <summary>Platform log messages. Stable event ids 1000–1999. Never log secrets, ballots, credentials or personal data.</summary>
internal static partial class Log
{
    [LoggerMessage(1001, LogLevel.Information, "Storage: {Database}")]
    public static partial void StorageOpened(ILogger logger, string database);

    [LoggerMessage(1002, LogLevel.Information, "Migration applied: {Migration}")]
    public static partial void MigrationApplied(ILogger logger, string migration);

    [LoggerMessage(1003, LogLevel.Information, "Modules enabled: {Modules}")]
    public static partial void ModulesEnabled(ILogger logger, string modules);

    [LoggerMessage(1004, LogLevel.Information, "Demo data seeded for {Module}")]
    public static partial void DemoSeeded(ILogger logger, string module);

    [LoggerMessage(1005, LogLevel.Error, "Unhandled error on {Method} {Path} (trace {TraceId})")]
    public static partial void Unhandled(ILogger logger, Exception exception, string method, string path, string traceId);

    [LoggerMessage(1006, LogLevel.Warning, "Health check failed for {Database}")]
    public static partial void HealthFailed(ILogger logger, Exception exception, string database);
}
