using System.ComponentModel.DataAnnotations;

namespace Socle.Modules.Voting;

/// <summary>Section <c>Socle:Voting</c>.</summary>
public sealed class VotingOptions
{
    public const string Section = "Socle:Voting";

    /// <summary>Largest board accepted by the verify page and <c>POST /api/voting/verify</c>, in bytes (default 64 MiB, about 15,000 ballots).</summary>
    [Range(1024, 8L << 30)]
    public long MaxUploadBytes { get; set; } = 64L << 20;

    /// <summary>Verifications the server runs at once; further requests wait up to <see cref="QueueSeconds"/>, then get 503.</summary>
    [Range(1, 64)]
    public int MaxConcurrentVerifications { get; set; } = 2;

    [Range(0, 600)]
    public int QueueSeconds { get; set; } = 30;

    /// <summary>Threads one verification uses (default: all cores).</summary>
    [Range(1, 256)]
    public int VerifyThreads { get; set; } = Environment.ProcessorCount;

    /// <summary>Folder of the per-election SQLite files (default: <c>elections/</c> next to the main database).</summary>
    public string? ElectionsDirectory { get; set; }

    /// <summary>Serve only this election (set by <c>socle serve --election &lt;id&gt;</c>); the others answer 404 here.</summary>
    public string? Election { get; set; }

    /// <summary>If set, creating an election needs this key (header <c>X-Organiser-Key</c>); if empty, anyone may create one.</summary>
    public string? OrganiserKey { get; set; }

    /// <summary>SMTP server for one-time codes and credentials (none: e-mail delivery is refused with a clear error).</summary>
    public string? SmtpHost { get; set; }

    [Range(1, 65535)]
    public int SmtpPort { get; set; } = 25;

    public string SmtpFrom { get; set; } = "elections@localhost";

    /// <summary>Development only: write e-mails as .eml files into this folder instead of sending them.</summary>
    public string? MailPickupDirectory { get; set; }

    /// <summary>Seconds between two integrity checks of each open election's board (0: off).</summary>
    [Range(0, 86400)]
    public int IntegrityCheckSeconds { get; set; } = 30;

    /// <summary>Minutes a voter session lasts after sign-in.</summary>
    [Range(1, 1440)]
    public int SessionMinutes { get; set; } = 60;
}
