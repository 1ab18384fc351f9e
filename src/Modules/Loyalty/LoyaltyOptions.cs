using System.ComponentModel.DataAnnotations;

namespace Socle.Modules.Loyalty;

/// <summary>Section <c>Socle:Loyalty</c>.</summary>
public sealed class LoyaltyOptions
{
    public const string Section = "Socle:Loyalty";

    /// <summary>Purchases recorded per transaction at most by the group commit.</summary>
    [Range(1, 5000)]
    public int MaxBatch { get; set; } = 256;

    /// <summary>Group-commit writer loops on PostgreSQL (SQLite always uses one). Each member always goes to the same loop.</summary>
    [Range(1, 64)]
    public int WriterLoops { get; set; } = 2;

    /// <summary>How often the background work runs: expiry, surprises, outbox delivery (seconds).</summary>
    [Range(5, 86_400)]
    public int SweepSeconds { get; set; } = 300;

    /// <summary>Run the background work (off in some tests and benchmarks).</summary>
    public bool Background { get; set; } = true;

    /// <summary>SMTP server for offers by e-mail (host:port); empty: offers are shown on the member page only.</summary>
    public string? SmtpHost { get; set; }

    [Range(1, 65535)]
    public int SmtpPort { get; set; } = 25;

    /// <summary>The public address of the server, used in QR posters and referral links (default: the request's).</summary>
    [Url]
    public string? PublicUrl { get; set; }
}
