using Microsoft.Extensions.Logging;

namespace Socle.Modules.Loyalty;

/// <summary>Loyalty log messages, event ids 5000–5999. Never names, e-mails, card secrets or codes: ids and counts only.</summary>
internal static partial class Log
{
    [LoggerMessage(5001, LogLevel.Debug, "Purchase batch committed: {Count} purchase(s)")]
    public static partial void PurchaseBatch(ILogger logger, int count);

    [LoggerMessage(5002, LogLevel.Warning, "Purchase batch of {Count} failed on the database; retrying each purchase alone")]
    public static partial void BatchRetried(ILogger logger, Exception exception, int count);

    [LoggerMessage(5003, LogLevel.Warning, "Follow-up of a purchase failed for member {MemberId}; the next sweep retries it")]
    public static partial void FollowUpFailed(ILogger logger, Exception exception, string memberId);

    [LoggerMessage(5004, LogLevel.Information, "Loyalty sweep: {Expired} member(s) with expired points, {Surprises} surprise(s), {Sent} message(s) sent")]
    public static partial void Swept(ILogger logger, int expired, int surprises, int sent);

    [LoggerMessage(5005, LogLevel.Warning, "Loyalty sweep failed")]
    public static partial void SweepFailed(ILogger logger, Exception exception);

    [LoggerMessage(5006, LogLevel.Warning, "Outbox message {MessageId} not delivered (attempt {Attempt})")]
    public static partial void DeliveryFailed(ILogger logger, Exception exception, string messageId, int attempt);
}
