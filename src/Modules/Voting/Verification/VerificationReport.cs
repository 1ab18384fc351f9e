namespace Socle.Modules.Voting.Verification;

/// <summary>
/// Why a board does not verify: a stable code, a message for people, and where — the event (height and type), the
/// file of the archive (0-based index), the ballot's tracking number.
/// </summary>
public sealed record VerificationProblem(string Code, string Message, int? Height = null, string? EventType = null, int? FileIndex = null, string? TrackingNumber = null)
{
    public string Where =>
        Height is { } h ? $"event {EventType} at height {h}" : FileIndex is { } f ? $"file #{f} of the archive" : "the board";

    public override string ToString() => $"{Where}: {Message}";
}

/// <summary>One line of the report: what was checked and how it went (passed, failed, skipped), in English and French.</summary>
public sealed record VerificationCheck(string Name, string Status, string Detail, string? DetailFr = null)
{
    /// <summary>How long the check took.</summary>
    public double Seconds { get; init; }
}

/// <summary>The count of one answer (or of blank votes) in the verified result.</summary>
public sealed record AnswerCount(string Answer, long Count, bool IsBlank = false);

public sealed record QuestionResult(string Question, IReadOnlyList<AnswerCount> Counts);

/// <summary>What <c>socle vote verify</c>, the verify page and <c>POST /api/voting/verify</c> report.</summary>
public sealed record VerificationReport
{
    public bool Ok => Problem is null;

    public VerificationProblem? Problem { get; init; }

    public string? Uuid { get; init; }

    public string? Name { get; init; }

    public string? Group { get; init; }

    /// <summary>φ, the election fingerprint (SHA-256 of election.json, compact Base64).</summary>
    public string? Fingerprint { get; init; }

    /// <summary>Setup, Open, Closed, Tallied, Decrypting or Published (result present).</summary>
    public string? State { get; init; }

    /// <summary>Hash of the last event: publish it to detect later truncation of the board.</summary>
    public string? Head { get; init; }

    public int Events { get; init; }

    public int BallotsOnBoard { get; init; }

    public int BallotsCounted { get; init; }

    /// <summary>Ballots replaced by a later ballot with the same credential (revotes).</summary>
    public int BallotsSuperseded { get; init; }

    public int Credentials { get; init; }

    public long? TotalWeight { get; init; }

    public int Trustees { get; init; }

    public int PartialDecryptions { get; init; }

    public IReadOnlyList<QuestionResult>? Result { get; init; }

    public IReadOnlyList<VerificationCheck> Checks { get; init; } = [];

    public double Seconds { get; init; }

    public double BallotsPerSecond { get; init; }
}
