using Microsoft.Extensions.Logging;

namespace Socle.Modules.Voting;

/// <summary>Voting log messages. Stable event ids 2000–2999. Never log ballots, credentials, keys or voters.</summary>
internal static partial class Log
{
    [LoggerMessage(2001, LogLevel.Information, "Board verified: election {Uuid}, {Ballots} ballots, ok={Ok} ({Code}) in {Seconds:F2} s")]
    public static partial void BoardVerified(ILogger logger, string uuid, int ballots, bool ok, string code, double seconds);

    [LoggerMessage(2002, LogLevel.Information, "Board published: election {Uuid}, {Ballots} ballots, state {State}, head {Head}")]
    public static partial void BoardPublished(ILogger logger, string uuid, int ballots, string state, string head);

    [LoggerMessage(2003, LogLevel.Warning, "Board publication refused for election {Uuid}: {Reason}")]
    public static partial void BoardRefused(ILogger logger, string uuid, string reason);

    [LoggerMessage(2004, LogLevel.Warning, "Verification queue full: request refused after waiting {Seconds} s")]
    public static partial void QueueFull(ILogger logger, int seconds);

    [LoggerMessage(2005, LogLevel.Information, "Voting demo election {Uuid} seeded with {Ballots} ballots in {Seconds:F1} s")]
    public static partial void DemoSeeded(ILogger logger, string uuid, int ballots, double seconds);

    [LoggerMessage(2006, LogLevel.Information, "Voting crypto backends: libsodium {Sodium}, GMP {Gmp}")]
    public static partial void Backends(ILogger logger, bool sodium, bool gmp);
}
