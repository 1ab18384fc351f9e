using Microsoft.Extensions.Logging;

namespace Socle.Modules.Batteries;

/// <summary>Batteries log messages, event ids 4000–4999. Never log keys, access tokens or passport content.</summary>
internal static partial class Log
{
    [LoggerMessage(4001, LogLevel.Information, "Passport {PassportId} version {Version} recorded ({Change})")]
    public static partial void VersionRecorded(ILogger logger, string passportId, int version, string change);

    [LoggerMessage(4002, LogLevel.Information, "Passport {PassportId} status {From} -> {To}")]
    public static partial void StatusChanged(ILogger logger, string passportId, string from, string to);

    [LoggerMessage(4003, LogLevel.Information, "Signing key {KeyId} created for operator {OperatorId}")]
    public static partial void KeyCreated(ILogger logger, string keyId, string operatorId);

    [LoggerMessage(4004, LogLevel.Information, "Bulk import: {Count} passports in {Seconds:F1} s")]
    public static partial void BulkImported(ILogger logger, int count, double seconds);

    [LoggerMessage(4005, LogLevel.Warning, "Passport {PassportId} failed verification: {Problem}")]
    public static partial void VerificationFailed(ILogger logger, string passportId, string problem);

    [LoggerMessage(4006, LogLevel.Warning, "Rejected access key for party {PartyId}")]
    public static partial void AccessKeyRejected(ILogger logger, string partyId);

    [LoggerMessage(4007, LogLevel.Information, "Party {PartyId} ({Role}) registered")]
    public static partial void PartyRegistered(ILogger logger, string partyId, string role);

    [LoggerMessage(4008, LogLevel.Information, "Demo access keys written to {Path}")]
    public static partial void DemoKeysWritten(ILogger logger, string path);

    [LoggerMessage(4009, LogLevel.Information, "Recycling report {ReportId} recorded for {Recycler}")]
    public static partial void RecyclingReportRecorded(ILogger logger, string reportId, string recycler);
}
