using System.Text.Json;
using System.Text.Json.Serialization;
using System.Xml;
using Socle.Modules.Loyalty.Rules;
using Socle.Platform;

namespace Socle.Modules.Loyalty.Programs;

/// <summary>The six kinds of programme a shop can run (those of the brief and of BonusQR's help centre).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ProgrammeKind>))]
public enum ProgrammeKind
{
    /// <summary>Points from spend through earning rules (base rate or bands, multipliers, boosts).</summary>
    [JsonStringEnumMemberName("points")] Points,
    /// <summary>Stamps: one per visit (with an optional minimum spend); N stamps earn a reward.</summary>
    [JsonStringEnumMemberName("visits")] Visits,
    /// <summary>One stamp per item bought (optionally of one category).</summary>
    [JsonStringEnumMemberName("items")] Items,
    /// <summary>One unit per whole euro spent; a reward at a spend threshold.</summary>
    [JsonStringEnumMemberName("spend")] Spend,
    /// <summary>A percentage of each purchase credited, in cents, spent later as a discount.</summary>
    [JsonStringEnumMemberName("cashback")] Cashback,
    /// <summary>A standing member discount; nothing accrues.</summary>
    [JsonStringEnumMemberName("discount")] Discount,
}

/// <summary>How fractional points become whole points. The default drops fractions, as Square and most programmes do.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<PointsRounding>))]
public enum PointsRounding
{
    [JsonStringEnumMemberName("down")] Down,
    [JsonStringEnumMemberName("nearest")] Nearest,
    [JsonStringEnumMemberName("up")] Up,
}

/// <summary>One band of the spend scale: <c>Rate</c> points per euro for the part of the amount up to <c>UpTo_eur</c> (null: no limit).</summary>
public sealed record Band(decimal? UpTo_eur, decimal PointsPerEuro);

/// <summary>
/// A multiplier for lines of a category or a product (e.g. ×2 on pastries). Stacking policy: see <see cref="PointsCalculator"/>.
/// </summary>
public sealed record LineMultiplier(string Id, string? Category, string? Product, decimal Factor, int Priority = 100, bool Stackable = true);

[JsonConverter(typeof(JsonStringEnumConverter<CapPeriod>))]
public enum CapPeriod
{
    [JsonStringEnumMemberName("day")] Day,
    [JsonStringEnumMemberName("week")] Week,
    [JsonStringEnumMemberName("month")] Month,
    [JsonStringEnumMemberName("campaign")] Campaign,
}

/// <summary>
/// A temporary boost (×2, ×3, or a fixed number of extra points) during a time window that may repeat (iCal RRULE),
/// with a cap of extra points per member and period and an overall budget of extra points.
/// </summary>
public sealed record Boost(
    string Id,
    string Name,
    decimal Factor,
    DateTime StartsLocal,
    string Duration,
    string? RRule = null,
    string TimeZone = "Europe/Paris",
    long AddPoints = 0,
    int Priority = 100,
    bool Stackable = false,
    long? CapPerMember = null,
    CapPeriod CapPeriod = CapPeriod.Campaign,
    long? Budget = null,
    decimal MinimumSpend_eur = 0);

/// <summary>A tier level: reached when the points earned in the window reach <c>MinEarned</c>.</summary>
public sealed record TierLevel(string Name, long MinEarned, decimal Multiplier = 1, string Perks = "");

[JsonConverter(typeof(JsonStringEnumConverter<DowngradePolicy>))]
public enum DowngradePolicy
{
    /// <summary>After the grace period, go down one level (then again after another grace period if still short).</summary>
    [JsonStringEnumMemberName("one_down")] OneDown,
    /// <summary>After the grace period, go straight to the level the earned points justify.</summary>
    [JsonStringEnumMemberName("recompute")] Recompute,
}

/// <summary>Tiers earned on points <em>earned</em> (never on the balance) within a rolling window.</summary>
public sealed record TierSettings(int WindowDays, IReadOnlyList<TierLevel> Levels, DowngradePolicy Downgrade = DowngradePolicy.OneDown, int GraceDays = 30);

/// <summary>Surprises: birthday (day and month only), sign-up anniversary, the Nth visit, win-back after inactivity.</summary>
public sealed record SurpriseSettings(
    long BirthdayPoints = 0,
    long AnniversaryPoints = 0,
    int NthVisit = 0,
    long NthVisitPoints = 0,
    int WinBackAfterDays = 0,
    string WinBackOffer = "");

/// <summary>Referral: both sides rewarded at the friend's first purchase; doubtful referrals go to review.</summary>
public sealed record ReferralSettings(long ReferrerPoints = 0, long FriendPoints = 0, int MonthlyCapPerReferrer = 10, int MaxPerDevicePerWeek = 3);

/// <summary>
/// A shop's programme, stored as one JSON document (versioned with the programme). Units are points, stamps or cents
/// depending on the kind; rewards cost units.
/// </summary>
public sealed record ProgrammeDefinition
{
    public ProgrammeKind Kind { get; init; } = ProgrammeKind.Points;
    public decimal MinimumSpend_eur { get; init; }
    public IReadOnlyList<Band> Bands { get; init; } = [new(null, 1)];
    public IReadOnlyList<LineMultiplier> Multipliers { get; init; } = [];
    public PointsRounding Rounding { get; init; } = PointsRounding.Down;
    public IReadOnlyList<Boost> Boosts { get; init; } = [];
    public decimal CashbackPercent { get; init; }
    public decimal DiscountPercent { get; init; }
    public string? ItemCategory { get; init; }
    /// <summary>The minimum delay between two stamps or earnings of one member (anti-fraud), in seconds.</summary>
    public int MinSecondsBetweenEarnings { get; init; } = 60;
    /// <summary>Points expire this many days after they were earned (0: never).</summary>
    public int ExpiryDays { get; init; } = 365;
    /// <summary>Points stay pending (not spendable, cancelled by a refund) for this many days.</summary>
    public int PendingDays { get; init; }
    public TierSettings? Tiers { get; init; }
    public SurpriseSettings Surprises { get; init; } = new();
    public ReferralSettings Referral { get; init; } = new();
    /// <summary>IFRS 15: the stand-alone value of one unit when redeemed, in euros (1 point = 0.01 €, one stamp = the reward's price / N).</summary>
    public decimal ValuePerUnit_eur { get; init; } = 0.01m;
    /// <summary>IFRS 15: the share of issued units expected to be redeemed (from experience), 0 to 1.</summary>
    public decimal ExpectedRedemptionRate { get; init; } = 0.8m;

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static Result<ProgrammeDefinition> Parse(string json)
    {
        ProgrammeDefinition? d;
        try
        {
            d = JsonSerializer.Deserialize<ProgrammeDefinition>(json, Json);
        }
        catch (JsonException e)
        {
            return Error.Validation(e.Path is { Length: > 1 } p ? "programme" + p[1..] : "programme", e.Message.Split(" Path:")[0]);
        }
        return d is null ? Error.Validation("programme", "is required") : d.Validate();
    }

    /// <summary>Checks every field; the error names each field at fault.</summary>
    public Result<ProgrammeDefinition> Validate()
    {
        var c = new Checks();
        c.That(MinimumSpend_eur >= 0, "minimum_spend_eur", "must be zero or more");
        if (Kind == ProgrammeKind.Points)
        {
            c.That(Bands.Count > 0, "bands", "at least one band is needed");
            decimal? previous = 0;
            for (var i = 0; i < Bands.Count; i++)
            {
                var b = Bands[i];
                c.That(b.PointsPerEuro >= 0 && b.PointsPerEuro <= 10_000, $"bands[{i}].points_per_euro", "must be between 0 and 10000");
                if (b.UpTo_eur is { } up)
                {
                    c.That(previous is not null && up > previous, $"bands[{i}].up_to_eur", "must be above the previous band's limit");
                }
                else
                {
                    c.That(i == Bands.Count - 1, $"bands[{i}].up_to_eur", "only the last band may be open-ended");
                }
                previous = b.UpTo_eur;
            }
        }
        for (var i = 0; i < Multipliers.Count; i++)
        {
            var m = Multipliers[i];
            c.Require(m.Id, $"multipliers[{i}].id", 60);
            c.That(m.Category is not null || m.Product is not null, $"multipliers[{i}]", "needs a category or a product");
            c.That(m.Factor >= 1 && m.Factor <= 10, $"multipliers[{i}].factor", "must be between 1 and 10");
        }
        c.That(Multipliers.Select(m => m.Id).Distinct().Count() == Multipliers.Count, "multipliers", "ids must be unique");
        for (var i = 0; i < Boosts.Count; i++)
        {
            var b = Boosts[i];
            c.Require(b.Id, $"boosts[{i}].id", 60);
            c.Require(b.Name, $"boosts[{i}].name", 200);
            c.That(b.Factor >= 1 && b.Factor <= 10, $"boosts[{i}].factor", "must be between 1 and 10");
            c.That(b.AddPoints >= 0, $"boosts[{i}].add_points", "must be zero or more");
            c.That(b.CapPerMember is null or >= 0, $"boosts[{i}].cap_per_member", "must be zero or more");
            c.That(b.Budget is null or >= 0, $"boosts[{i}].budget", "must be zero or more");
            if (!TryDuration(b.Duration, out var duration))
            {
                c.Add($"boosts[{i}].duration", "must be an ISO 8601 duration such as PT2H or P1D");
            }
            else if (!Recurrence.TryCreate(b.StartsLocal, duration, b.RRule, b.TimeZone, out _, out var error))
            {
                c.Add($"boosts[{i}].rrule", error!);
            }
        }
        c.That(Boosts.Select(m => m.Id).Distinct().Count() == Boosts.Count, "boosts", "ids must be unique");
        c.That(CashbackPercent is >= 0 and <= 100, "cashback_percent", "must be between 0 and 100");
        c.That(DiscountPercent is >= 0 and <= 100, "discount_percent", "must be between 0 and 100");
        c.That(Kind != ProgrammeKind.Cashback || CashbackPercent > 0, "cashback_percent", "must be above 0 for a cashback programme");
        c.That(Kind != ProgrammeKind.Discount || DiscountPercent > 0, "discount_percent", "must be above 0 for a discount programme");
        c.That(MinSecondsBetweenEarnings is >= 0 and <= 86_400, "min_seconds_between_earnings", "must be between 0 and 86400");
        c.That(ExpiryDays is >= 0 and <= 3650, "expiry_days", "must be between 0 and 3650");
        c.That(PendingDays is >= 0 and <= 365, "pending_days", "must be between 0 and 365");
        c.That(ValuePerUnit_eur >= 0, "value_per_unit_eur", "must be zero or more");
        c.That(ExpectedRedemptionRate is >= 0 and <= 1, "expected_redemption_rate", "must be between 0 and 1");
        if (Tiers is { } t)
        {
            c.That(t.WindowDays is >= 1 and <= 3650, "tiers.window_days", "must be between 1 and 3650");
            c.That(t.GraceDays is >= 0 and <= 365, "tiers.grace_days", "must be between 0 and 365");
            c.That(t.Levels.Count > 0, "tiers.levels", "at least one level is needed");
            for (var i = 0; i < t.Levels.Count; i++)
            {
                c.Require(t.Levels[i].Name, $"tiers.levels[{i}].name", 60);
                c.That(t.Levels[i].MinEarned > 0 && (i == 0 || t.Levels[i].MinEarned > t.Levels[i - 1].MinEarned),
                    $"tiers.levels[{i}].min_earned", "must be positive and above the previous level's");
                c.That(t.Levels[i].Multiplier is >= 1 and <= 10, $"tiers.levels[{i}].multiplier", "must be between 1 and 10");
            }
        }
        c.That(Surprises.BirthdayPoints >= 0 && Surprises.AnniversaryPoints >= 0 && Surprises.NthVisitPoints >= 0, "surprises", "points must be zero or more");
        c.That(Surprises.NthVisit >= 0 && Surprises.WinBackAfterDays >= 0, "surprises", "days and visits must be zero or more");
        c.That(Referral.ReferrerPoints >= 0 && Referral.FriendPoints >= 0, "referral", "points must be zero or more");
        c.That(Referral.MonthlyCapPerReferrer >= 0 && Referral.MaxPerDevicePerWeek >= 0, "referral", "limits must be zero or more");
        return c.Failed ? c.ToError() : this;
    }

    public static bool TryDuration(string text, out TimeSpan duration)
    {
        duration = default;
        try
        {
            duration = XmlConvert.ToTimeSpan(text);
            return duration > TimeSpan.Zero;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>The unit's name for people.</summary>
    public (string Fr, string En) UnitName => Kind switch
    {
        ProgrammeKind.Visits or ProgrammeKind.Items => ("tampons", "stamps"),
        ProgrammeKind.Cashback => ("centimes", "cents"),
        ProgrammeKind.Spend => ("euros cumulés", "euros spent"),
        _ => ("points", "points"),
    };
}
