using Socle.Modules.Loyalty.Rules;

namespace Socle.Modules.Loyalty.Ledger;

/// <summary>The kinds of ledger entry. Credits create an expiry batch; debits consume batches first-in first-out.</summary>
public static class EntryKind
{
    public const string Earn = "earn";
    public const string Redeem = "redeem";
    public const string Expire = "expire";
    public const string Adjust = "adjust";
    public const string Reversal = "reversal";
}

/// <summary>
/// A purchase to record: from a staff scan (a member code), a point of sale (a member id) or an import. Every purchase
/// carries an idempotency key: the same key again returns the first outcome and writes nothing.
/// </summary>
public sealed record PurchaseCommand(
    string MerchantId,
    string IdempotencyKey,
    long Amount_cents,
    string? MemberId = null,
    string? MemberCode = null,
    IReadOnlyList<BasketLine>? Lines = null,
    int Items = 0,
    DateTimeOffset? OccurredAt = null,
    string? StoreId = null,
    string Source = "api");

/// <summary>What a purchase earned. <c>Replayed</c>: the key was seen before, this is the first outcome again.</summary>
public sealed record PurchaseOutcome(
    string PurchaseId,
    string? MemberId,
    long Units,
    long Pending,
    long Balance,
    bool Replayed,
    string? Note,
    IReadOnlyDictionary<string, long>? Boosts = null);

/// <summary>A member's row as the ledger needs it (locked for the duration of a write).</summary>
internal sealed class MemberRow
{
    public string Id { get; set; } = "";
    public string MerchantId { get; set; } = "";
    public string? ReferredBy { get; set; }
    public string JoinedAt { get; set; } = "";
    public string? ErasedAt { get; set; }
    public long LifetimeEarned { get; set; }
    /// <summary>Σ remaining of the member's batches (available, pending, or expired but not yet written off).</summary>
    public long OpenUnits { get; set; }
    public long Debt { get; set; }
    public long Visits { get; set; }
    public string? LastEarnedAt { get; set; }
    public string? LastVisitAt { get; set; }
    public long TierLevel { get; set; }
    public string? TierGraceUntil { get; set; }
    public long EntrySeq { get; set; }

    public const string Columns =
        "id, merchant_id AS MerchantId, referred_by AS ReferredBy, joined_at AS JoinedAt, erased_at AS ErasedAt, " +
        "lifetime_earned AS LifetimeEarned, open_units AS OpenUnits, debt, visits, last_earned_at AS LastEarnedAt, last_visit_at AS LastVisitAt, " +
        "tier_level AS TierLevel, tier_grace_until AS TierGraceUntil, entry_seq AS EntrySeq";
}

internal sealed record BatchRow(string EntryId, string? PurchaseId, string EarnedAt, string AvailableAt, string? ExpiresAt, long Units, long Remaining)
{
    public const string Columns =
        "entry_id AS EntryId, purchase_id AS PurchaseId, earned_at AS EarnedAt, available_at AS AvailableAt, expires_at AS ExpiresAt, units, remaining";
}
