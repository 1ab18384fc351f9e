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

    [LoggerMessage(2010, LogLevel.Information, "Election {Id} created")]
    public static partial void ElectionCreated(ILogger logger, string id);

    [LoggerMessage(2011, LogLevel.Information, "Election {Id} is now {State}")]
    public static partial void ElectionState(ILogger logger, string id, string state);

    [LoggerMessage(2012, LogLevel.Warning, "Election {Id}: an e-mail could not be sent ({Error})")]
    public static partial void MailFailed(ILogger logger, string id, string error);

    [LoggerMessage(2013, LogLevel.Error, "Election {Id}: INTEGRITY ALERT — {Problem}")]
    public static partial void IntegrityAlert(ILogger logger, string id, string problem);

    [LoggerMessage(2014, LogLevel.Warning, "Election {Id}: cast batch failed ({Error}); its voters get an error and may retry")]
    public static partial void CastBatchFailed(ILogger logger, string id, string error);
}
