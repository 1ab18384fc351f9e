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
}
