using System.Text.Json;
using Socle.Modules.Batteries.Passports;
using Socle.Platform;

namespace Socle.Modules.Batteries.Circularity;

/// <summary>A minimum that applies from a date: a share in percent.</summary>
public sealed record Target(string Subject, DateOnly From, double Minimum_pct, string Reference);

/// <summary>One check of one subject (a metal, a battery type) at a date.</summary>
public sealed record TargetCheck(string Subject, double? Actual_pct, double? Minimum_pct, string Outcome, string? Reference)
{
    public const string Pass = "pass";
    public const string Fail = "fail";
    public const string NotApplicable = "not-applicable";
    public const string NoTarget = "no-target";
}

/// <summary>
/// The circularity figures of Regulation (EU) 2023/1542 as data: the recycled-content minimums of Art. 8(2) and 8(3),
/// the recycling efficiencies of Annex XII Part B and the material recovery targets of Annex XII Part C, each from its date.
/// Before 31 December 2025 the recycling efficiencies are those of Directive 2006/66/EC, Annex III Part B, which the
/// Regulation replaces (lithium batteries then count as "other batteries").
/// </summary>
public static class Targets
{
    public static readonly IReadOnlyList<Target> RecycledContent =
    [
        new("Cobalt", new DateOnly(2031, 8, 18), 16, "Art. 8(2)(a)"),
        new("Lead", new DateOnly(2031, 8, 18), 85, "Art. 8(2)(b)"),
        new("Lithium", new DateOnly(2031, 8, 18), 6, "Art. 8(2)(c)"),
        new("Nickel", new DateOnly(2031, 8, 18), 6, "Art. 8(2)(d)"),
        new("Cobalt", new DateOnly(2036, 8, 18), 26, "Art. 8(3)(a)"),
        new("Lead", new DateOnly(2036, 8, 18), 85, "Art. 8(3)(b)"),
        new("Lithium", new DateOnly(2036, 8, 18), 12, "Art. 8(3)(c)"),
        new("Nickel", new DateOnly(2036, 8, 18), 15, "Art. 8(3)(d)"),
    ];

    public static readonly IReadOnlyList<string> BatteryTypes = ["lead-acid", "lithium", "nickel-cadmium", "other"];

    public static readonly IReadOnlyList<Target> RecyclingEfficiency =
    [
        new("lead-acid", new DateOnly(2008, 9, 26), 65, "Directive 2006/66/EC Annex III Part B (a)"),
        new("nickel-cadmium", new DateOnly(2008, 9, 26), 75, "Directive 2006/66/EC Annex III Part B (b)"),
        new("lithium", new DateOnly(2008, 9, 26), 50, "Directive 2006/66/EC Annex III Part B (c), other batteries"),
        new("other", new DateOnly(2008, 9, 26), 50, "Directive 2006/66/EC Annex III Part B (c)"),
        new("lead-acid", new DateOnly(2025, 12, 31), 75, "Annex XII Part B (2)(a)"),
        new("lithium", new DateOnly(2025, 12, 31), 65, "Annex XII Part B (2)(b)"),
        new("nickel-cadmium", new DateOnly(2025, 12, 31), 80, "Annex XII Part B (2)(c)"),
        new("other", new DateOnly(2025, 12, 31), 50, "Annex XII Part B (2)(d)"),
        new("lead-acid", new DateOnly(2030, 12, 31), 80, "Annex XII Part B (3)(a)"),
        new("lithium", new DateOnly(2030, 12, 31), 70, "Annex XII Part B (3)(b)"),
    ];

    public static readonly IReadOnlyList<string> RecoveredMetals = ["Cobalt", "Copper", "Lead", "Lithium", "Nickel"];

    public static readonly IReadOnlyList<Target> MaterialRecovery =
    [
        new("Cobalt", new DateOnly(2027, 12, 31), 90, "Annex XII Part C (1)(a)"),
        new("Copper", new DateOnly(2027, 12, 31), 90, "Annex XII Part C (1)(b)"),
        new("Lead", new DateOnly(2027, 12, 31), 90, "Annex XII Part C (1)(c)"),
        new("Lithium", new DateOnly(2027, 12, 31), 50, "Annex XII Part C (1)(d)"),
        new("Nickel", new DateOnly(2027, 12, 31), 90, "Annex XII Part C (1)(e)"),
        new("Cobalt", new DateOnly(2031, 12, 31), 95, "Annex XII Part C (2)(a)"),
        new("Copper", new DateOnly(2031, 12, 31), 95, "Annex XII Part C (2)(b)"),
        new("Lead", new DateOnly(2031, 12, 31), 95, "Annex XII Part C (2)(c)"),
        new("Lithium", new DateOnly(2031, 12, 31), 80, "Annex XII Part C (2)(d)"),
        new("Nickel", new DateOnly(2031, 12, 31), 95, "Annex XII Part C (2)(e)"),
    ];

    /// <summary>The target in force for a subject at a date: the latest one whose date has come, or null.</summary>
    public static Target? InForce(IReadOnlyList<Target> targets, string subject, DateOnly at) =>
        targets.Where(t => string.Equals(t.Subject, subject, StringComparison.OrdinalIgnoreCase) && t.From <= at).MaxBy(t => t.From);

    public static TargetCheck Check(IReadOnlyList<Target> targets, string subject, double? actual_pct, DateOnly at)
    {
        var target = InForce(targets, subject, at);
        if (target is null)
        {
            return new TargetCheck(subject, actual_pct, null, TargetCheck.NoTarget, null);
        }
        var pass = actual_pct is { } a && a + 1e-9 >= target.Minimum_pct;
        return new TargetCheck(subject, actual_pct, target.Minimum_pct, pass ? TargetCheck.Pass : TargetCheck.Fail, target.Reference);
    }
}

/// <summary>A recycled-content check of one battery (or battery model) at a date.</summary>
public sealed record RecycledContentResult(DateOnly At, string Category, bool Covered, string? CoverageNote, IReadOnlyList<TargetCheck> Metals, string Outcome);

/// <summary>
/// Recycled content against Art. 8: the share of cobalt, lead, lithium and nickel recovered from manufacturing waste
/// (pre-consumer) or post-consumer waste in the active materials, per metal present in them. The minimums bind electric
/// vehicle batteries, SLI batteries and industrial batteries above 2 kWh (except those with exclusively external storage);
/// light means of transport batteries are not in Art. 8(2).
/// </summary>
public static class RecycledContent
{
    public static readonly IReadOnlyList<string> Metals = ["Cobalt", "Lead", "Lithium", "Nickel"];

    /// <param name="presentMetals">The metals in the active materials; a metal absent from them has no minimum.</param>
    /// <param name="shares">Recycled share per metal, pre- plus post-consumer, in percent.</param>
    public static RecycledContentResult Check(string category, IReadOnlyCollection<string> presentMetals, IReadOnlyDictionary<string, double> shares, DateOnly at, bool exclusivelyExternalStorage = false)
    {
        var covered = category is "ev" or "industrial" or "stationary" && !exclusivelyExternalStorage;
        string? note = category == "lmt" ? "light means of transport batteries are not covered by Art. 8(2)"
            : exclusivelyExternalStorage ? "industrial batteries with exclusively external storage are excluded from Art. 8(2)" : null;
        var checks = new List<TargetCheck>();
        foreach (var metal in Metals)
        {
            var share = shares.TryGetValue(metal, out var s) ? s : (double?)null;
            if (!presentMetals.Contains(metal, StringComparer.OrdinalIgnoreCase))
            {
                checks.Add(new TargetCheck(metal, share, null, TargetCheck.NotApplicable, null));
            }
            else if (!covered)
            {
                checks.Add(new TargetCheck(metal, share, null, TargetCheck.NotApplicable, null));
            }
            else
            {
                checks.Add(Targets.Check(Targets.RecycledContent, metal, share ?? 0, at));
            }
        }
        var outcome = checks.Any(c => c.Outcome == TargetCheck.Fail) ? TargetCheck.Fail
            : checks.Any(c => c.Outcome == TargetCheck.Pass) ? TargetCheck.Pass
            : TargetCheck.NoTarget;
        return new RecycledContentResult(at, category, covered, note, checks, outcome);
    }

    /// <summary>Reads what a passport declares: the metals its chemistry or material list names, and the shares it declares.</summary>
    public static RecycledContentResult CheckPassport(JsonElement content, DateOnly at)
    {
        var present = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        if (PassportContent.At(content, "materialComposition.batteryMaterials") is { ValueKind: JsonValueKind.Array } materials)
        {
            foreach (var m in materials.EnumerateArray())
            {
                var name = m.TryGetProperty("batteryMaterialName", out var n) ? n.GetString() ?? "" : "";
                foreach (var metal in Metals.Where(x => name.StartsWith(x, StringComparison.OrdinalIgnoreCase)))
                {
                    present.Add(metal);
                }
            }
        }
        foreach (var metal in MetalsOfChemistry(PassportContent.Chemistry(content)))
        {
            present.Add(metal);
        }
        var shares = new Dictionary<string, double>(StringComparer.OrdinalIgnoreCase);
        if (PassportContent.At(content, "circularity.recycledContent") is { ValueKind: JsonValueKind.Array } recycled)
        {
            foreach (var r in recycled.EnumerateArray())
            {
                var metal = r.GetProperty("recycledMaterial").GetString()!;
                var pre = r.TryGetProperty("preConsumerShare", out var a) && a.ValueKind == JsonValueKind.Number ? a.GetDouble() : 0;
                var post = r.TryGetProperty("postConsumerShare", out var b) && b.ValueKind == JsonValueKind.Number ? b.GetDouble() : 0;
                shares[metal] = pre + post;
                present.Add(metal);
            }
        }
        return Check(PassportContent.Category(content) ?? "ev", present, shares, at);
    }

    /// <summary>The Art. 8 metals a chemistry's short name implies: NMC/NCA hold nickel, cobalt and lithium; LFP and LMO lithium; lead-acid lead.</summary>
    public static IEnumerable<string> MetalsOfChemistry(string? chemistry)
    {
        var c = (chemistry ?? "").ToUpperInvariant();
        if (c.StartsWith("NMC", StringComparison.Ordinal) || c.StartsWith("NCM", StringComparison.Ordinal) || c.StartsWith("NCA", StringComparison.Ordinal))
        {
            return ["Nickel", "Cobalt", "Lithium"];
        }
        if (c.StartsWith("LFP", StringComparison.Ordinal) || c.StartsWith("LMFP", StringComparison.Ordinal) || c.StartsWith("LMO", StringComparison.Ordinal) || c.StartsWith("LTO", StringComparison.Ordinal))
        {
            return ["Lithium"];
        }
        if (c.StartsWith("PB", StringComparison.Ordinal) || c.Contains("LEAD", StringComparison.Ordinal))
        {
            return ["Lead"];
        }
        return [];
    }
}

/// <summary>A metal in a recycler's report: how much came in with the waste batteries and how much was recovered.</summary>
public sealed record MetalRecovery(string Metal, double Input_kg, double Recovered_kg);

/// <summary>
/// A recycler's report for a period and a battery type (Annex XII; methodology Commission Delegated Regulation (EU)
/// C(2025)1674): the mass of waste batteries treated and the mass of output fractions counted as recycled, and per metal
/// the mass in and the mass recovered.
/// </summary>
public sealed record RecyclingReport
{
    public string? Id { get; init; }

    public string? RecyclerId { get; init; }

    public DateOnly PeriodStart { get; init; }

    public DateOnly PeriodEnd { get; init; }

    /// <summary>lead-acid, lithium, nickel-cadmium or other.</summary>
    public string BatteryType { get; init; } = "lithium";

    public double Input_kg { get; init; }

    public double RecycledOutput_kg { get; init; }

    public IReadOnlyList<MetalRecovery> Metals { get; init; } = [];

    public Error? Problems()
    {
        var checks = new Checks();
        checks.That(PeriodStart != default, "periodStart", "is required");
        checks.That(PeriodEnd != default, "periodEnd", "is required");
        checks.That(PeriodEnd >= PeriodStart, "periodEnd", "is before the start of the period");
        checks.That(Targets.BatteryTypes.Contains(BatteryType), "batteryType", $"must be one of {string.Join(", ", Targets.BatteryTypes)}");
        checks.Positive(Input_kg, "input_kg");
        checks.NonNegative(RecycledOutput_kg, "recycledOutput_kg");
        checks.That(!(RecycledOutput_kg > Input_kg), "recycledOutput_kg", "cannot exceed the input mass");
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < Metals.Count; i++)
        {
            var m = Metals[i];
            checks.That(Targets.RecoveredMetals.Contains(m.Metal, StringComparer.OrdinalIgnoreCase), $"metals[{i}].metal", $"must be one of {string.Join(", ", Targets.RecoveredMetals)}");
            checks.That(seen.Add(m.Metal), $"metals[{i}].metal", "appears twice");
            checks.Positive(m.Input_kg, $"metals[{i}].input_kg");
            checks.NonNegative(m.Recovered_kg, $"metals[{i}].recovered_kg");
            checks.That(!(m.Recovered_kg > m.Input_kg), $"metals[{i}].recovered_kg", "cannot exceed the metal's input mass");
            checks.That(!(m.Input_kg > Input_kg), $"metals[{i}].input_kg", "cannot exceed the battery input mass");
        }
        return checks.Failed ? checks.ToError() : null;
    }
}

public sealed record RecyclingResult(DateOnly At, double Efficiency_pct, TargetCheck EfficiencyCheck, IReadOnlyList<TargetCheck> Recovery, string Outcome);

public static class Recycling
{
    /// <summary>Recycling efficiency, % = recycled output mass / input mass × 100 (Annex XII Part B).</summary>
    public static double Efficiency_pct(double recycledOutput_kg, double input_kg) => recycledOutput_kg / input_kg * 100;

    /// <summary>Material recovery rate, % = recovered metal / metal in the input × 100 (Annex XII Part C).</summary>
    public static double Recovery_pct(double recovered_kg, double input_kg) => recovered_kg / input_kg * 100;

    /// <summary>Checks a report against the targets in force at <paramref name="at"/> (by default the end of its period).</summary>
    public static RecyclingResult Check(RecyclingReport report, DateOnly? at = null)
    {
        var date = at ?? report.PeriodEnd;
        var efficiency = Efficiency_pct(report.RecycledOutput_kg, report.Input_kg);
        var efficiencyCheck = Targets.Check(Targets.RecyclingEfficiency, report.BatteryType, efficiency, date);
        var recovery = report.Metals
            .Select(m => Targets.Check(Targets.MaterialRecovery, Canonical(m.Metal), Recovery_pct(m.Recovered_kg, m.Input_kg), date))
            .ToList();
        var all = recovery.Append(efficiencyCheck).ToList();
        var outcome = all.Any(c => c.Outcome == TargetCheck.Fail) ? TargetCheck.Fail
            : all.Any(c => c.Outcome == TargetCheck.Pass) ? TargetCheck.Pass : TargetCheck.NoTarget;
        return new RecyclingResult(date, efficiency, efficiencyCheck, recovery, outcome);
    }

    private static string Canonical(string metal) =>
        Targets.RecoveredMetals.First(m => string.Equals(m, metal, StringComparison.OrdinalIgnoreCase));
}
