using Socle.Modules.Loyalty.Programs;

namespace Socle.Modules.Loyalty.Rules;

/// <summary>One line of a receipt. Amounts are what the customer paid, tax included, in euros.</summary>
public sealed record BasketLine(string? Product, string? Category, decimal Quantity, decimal Amount_eur);

/// <summary>What a member's earning depends on besides the basket: the tier's multiplier and the room left under each boost's cap and budget.</summary>
public sealed record EarningContext(decimal TierMultiplier = 1, IReadOnlyDictionary<string, long>? BoostRoom = null)
{
    public static readonly EarningContext None = new();
}

/// <summary>What one purchase earns, and why: every part of the sum, so a receipt or a support request can explain it.</summary>
public sealed record Earning(long Units, decimal Base, decimal LineExtra, decimal TierExtra, IReadOnlyDictionary<string, long> BoostExtra, decimal Exact, string? Note)
{
    public static Earning Nothing(string note) => new(0, 0, 0, 0, new Dictionary<string, long>(), 0, note);
}

/// <summary>
/// The earning rules, as a pure function of the programme, the basket, the time and the member's context.
/// <para><b>Points</b>: base = Σ over bands of rate × the part of the amount in the band (5 points per euro up to 50 €,
/// then 10 per euro: 80 € earns 50×5 + 30×10 = 550). A purchase under the minimum spend earns nothing.</para>
/// <para><b>Stacking policy</b> (the same for line multipliers and for boosts): rules are taken in priority order
/// (the lower number first, ties broken by id — never by which was edited last). A <em>stackable</em> rule adds its extra
/// to those applied before it: ×2 and ×1.5 on one line give 1 + 1 + 0.5 = ×2.5. A <em>non-stackable</em> rule applies
/// only alone: if no rule of its kind has applied yet it applies and ends the chain, otherwise it is skipped. A line's extra is its share of the base
/// (line amount ÷ basket amount) × (factor − 1). The tier multiplier always stacks, on the base plus line extras.
/// A boost's extra (factor − 1 on that subtotal, plus its fixed points) is cut to the room left under its per-member cap
/// and its budget.</para>
/// <para><b>Rounding</b> happens once, on the exact total, by the programme's mode: down (fractions dropped, the default,
/// as Square: 1 point per 10 $ on 105 $ earns 10), nearest, or up.</para>
/// </summary>
public static class PointsCalculator
{
    public static Earning Calculate(ProgrammeDefinition programme, decimal amount_eur, IReadOnlyList<BasketLine> lines, DateTimeOffset at, EarningContext context, int items = 0)
    {
        if (amount_eur < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(amount_eur), "validated before");
        }
        if (amount_eur < programme.MinimumSpend_eur)
        {
            return Earning.Nothing($"below the minimum spend of {programme.MinimumSpend_eur} €");
        }
        decimal baseUnits = programme.Kind switch
        {
            ProgrammeKind.Points => Banded(programme.Bands, amount_eur),
            ProgrammeKind.Visits => 1,
            ProgrammeKind.Items => lines.Count > 0
                ? lines.Where(l => programme.ItemCategory is null || string.Equals(l.Category, programme.ItemCategory, StringComparison.OrdinalIgnoreCase)).Sum(l => l.Quantity)
                : items,
            ProgrammeKind.Spend => amount_eur,
            ProgrammeKind.Cashback => amount_eur * programme.CashbackPercent, // cents: amount × percent / 100 × 100
            _ => 0,
        };
        if (baseUnits <= 0)
        {
            return Earning.Nothing(programme.Kind == ProgrammeKind.Discount ? "a discount programme does not accrue" : "nothing qualifies");
        }

        var lineExtra = 0m;
        if (programme.Kind == ProgrammeKind.Points && programme.Multipliers.Count > 0 && amount_eur > 0)
        {
            var ordered = Order(programme.Multipliers, m => m.Priority, m => m.Id, m => m.Stackable);
            foreach (var line in lines)
            {
                var matching = ordered.Where(m => Matches(m, line)).ToList();
                var extraFactor = StackedExtra(matching, m => m.Factor - 1, m => m.Stackable).Sum(e => e.Extra);
                lineExtra += baseUnits * line.Amount_eur / amount_eur * extraFactor;
            }
        }
        var subtotal = baseUnits + lineExtra;
        var tierExtra = subtotal * (context.TierMultiplier - 1);
        subtotal += tierExtra;

        var boostExtra = new Dictionary<string, long>(StringComparer.Ordinal);
        var exactBoost = 0m;
        var active = programme.Boosts.Where(b => amount_eur >= b.MinimumSpend_eur && IsActive(b, at)).ToList();
        foreach (var (boost, extra) in StackedExtra(Order(active, b => b.Priority, b => b.Id, b => b.Stackable), b => b.Factor - 1, b => b.Stackable))
        {
            var exact = subtotal * extra + boost.AddPoints;
            if (context.BoostRoom is { } room && room.TryGetValue(boost.Id, out var left))
            {
                exact = Math.Min(exact, Math.Max(0, left));
            }
            var whole = (long)Math.Floor(exact);
            if (whole > 0)
            {
                boostExtra[boost.Id] = whole;
                exactBoost += exact;
            }
        }
        var total = subtotal + exactBoost;
        var units = programme.Rounding switch
        {
            PointsRounding.Nearest => Math.Round(total, MidpointRounding.AwayFromZero),
            PointsRounding.Up => Math.Ceiling(total),
            _ => Math.Floor(total),
        };
        return new Earning(checked((long)units), baseUnits, lineExtra, tierExtra, boostExtra, total, null);
    }

    /// <summary>Points from the bands: each band's rate applies to the part of the amount inside it.</summary>
    public static decimal Banded(IReadOnlyList<Band> bands, decimal amount_eur)
    {
        var points = 0m;
        var lower = 0m;
        foreach (var band in bands)
        {
            var upper = band.UpTo_eur ?? decimal.MaxValue;
            if (amount_eur > lower)
            {
                points += (Math.Min(amount_eur, upper) - lower) * band.PointsPerEuro;
            }
            lower = upper;
            if (amount_eur <= upper)
            {
                break;
            }
        }
        return points;
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(DateTime, string, string?, string), Recurrence?> Windows = new();

    /// <summary>Whether the boost's window is open at <paramref name="at"/>; parsed windows are cached (a hot path).</summary>
    public static bool IsActive(Boost boost, DateTimeOffset at)
    {
        var window = Windows.GetOrAdd((boost.StartsLocal, boost.Duration, boost.RRule, boost.TimeZone), static k =>
            ProgrammeDefinition.TryDuration(k.Item2, out var duration) && Recurrence.TryCreate(k.Item1, duration, k.Item3, k.Item4, out var r, out _) ? r : null);
        return window is not null && window.IsActive(at);
    }

    private static bool Matches(LineMultiplier m, BasketLine line) =>
        (m.Category is null || string.Equals(m.Category, line.Category, StringComparison.OrdinalIgnoreCase))
        && (m.Product is null || string.Equals(m.Product, line.Product, StringComparison.OrdinalIgnoreCase));

    private static List<T> Order<T>(IEnumerable<T> rules, Func<T, int> priority, Func<T, string> id, Func<T, bool> stackable) =>
        rules.OrderBy(priority).ThenBy(id, StringComparer.Ordinal).ToList();

    /// <summary>The stacking policy: which of the matching rules (already in priority order) apply, with their extra factor.</summary>
    private static IEnumerable<(T Rule, decimal Extra)> StackedExtra<T>(IReadOnlyList<T> ordered, Func<T, decimal> extra, Func<T, bool> stackable)
    {
        var applied = 0;
        foreach (var rule in ordered)
        {
            if (!stackable(rule))
            {
                if (applied == 0)
                {
                    yield return (rule, extra(rule));
                    yield break;
                }
                continue;
            }
            applied++;
            yield return (rule, extra(rule));
        }
    }
}
