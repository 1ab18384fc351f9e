using Microsoft.Extensions.Logging;

namespace Socle.Modules.Heat;

/// <summary>Heat log messages. Stable event ids 3000–3999. Never logs keys, documents or personal data.</summary>
internal static partial class Log
{
    [LoggerMessage(3001, LogLevel.Information, "Heat scenario {ScenarioId} created (version {Version})")]
    public static partial void ScenarioCreated(ILogger logger, string scenarioId, long version);

    [LoggerMessage(3002, LogLevel.Information, "Heat scenario {ScenarioId} updated to version {Version}")]
    public static partial void ScenarioUpdated(ILogger logger, string scenarioId, long version);

    [LoggerMessage(3003, LogLevel.Information, "Heat scenario {ScenarioId} deleted")]
    public static partial void ScenarioDeleted(ILogger logger, string scenarioId);

    [LoggerMessage(3010, LogLevel.Information, "Heat run {RunId} of {ScenarioId} done in {Seconds:0.00} s ({Nodes} nodes)")]
    public static partial void RunCompleted(ILogger logger, string runId, string scenarioId, double seconds, int nodes);

    [LoggerMessage(3011, LogLevel.Warning, "Heat run of {ScenarioId} failed: {Code}")]
    public static partial void RunFailed(ILogger logger, string scenarioId, string code);

    [LoggerMessage(3020, LogLevel.Warning, "Heat editor key generated and kept in {Path}: give it to the people who edit scenarios")]
    public static partial void EditorKeyGenerated(ILogger logger, string path);

    [LoggerMessage(3030, LogLevel.Information, "Heat demo data: {Count} shipped scenarios stored")]
    public static partial void DemoSeeded(ILogger logger, int count);

    [LoggerMessage(3040, LogLevel.Warning, "Heat sign-in refused: wrong editor key")]
    public static partial void SignInRefused(ILogger logger);
}
