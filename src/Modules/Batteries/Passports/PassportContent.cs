using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Socle.Modules.Batteries.Access;
using Socle.Modules.Batteries.Schemas;

namespace Socle.Modules.Batteries.Passports;

/// <summary>A problem with a passport's content: the JSONPath into the content and the reason.</summary>
public sealed record ContentProblem(string Path, string Message)
{
    public override string ToString() => $"{Path}: {Message}";
}

/// <summary>
/// A passport's content: the seven Battery Pass 1.2 sub-models (DIN DKE SPEC 99100), each under its section name
/// (<c>generalProductInformation</c>, <c>carbonFootprint</c>, <c>supplyChainDueDiligence</c>, <c>materialComposition</c>,
/// <c>circularity</c>, <c>performance</c> in version 1.2.1, <c>labels</c>), in the published representation. A section may be
/// absent or partial (dynamic data comes with use; carbon footprint declarations follow the delegated acts); what is there
/// must be valid against its schema, and <see cref="Completeness"/> says what a complete Battery Pass export still lacks.
/// </summary>
public static class PassportContent
{
    public const string General = "generalProductInformation";
    public const string CarbonFootprint = "carbonFootprint";
    public const string DueDiligence = "supplyChainDueDiligence";
    public const string Materials = "materialComposition";
    public const string Circularity = "circularity";
    public const string Performance = "performance";
    public const string Labels = "labels";
    public const string Extensions = "extensions";

    public static readonly IReadOnlyList<string> Categories = ["lmt", "ev", "industrial", "stationary"];

    private static readonly SchemaValidationOptions Partial = new() { IgnoreRequired = true };

    /// <summary>Schema errors of what the content holds (required members may be missing), with paths into the content.</summary>
    public static IReadOnlyList<ContentProblem> SchemaProblems(JsonElement content)
    {
        var problems = new List<ContentProblem>();
        if (content.ValueKind != JsonValueKind.Object)
        {
            problems.Add(new("$", "the passport content must be a JSON object of sections"));
            return problems;
        }
        foreach (var section in content.EnumerateObject())
        {
            var known = AttributeCatalog.AllSections.FirstOrDefault(s => s.Section == section.Name);
            if (known.Section is null)
            {
                problems.Add(new($"$.{section.Name}", $"is not a passport section; sections are {string.Join(", ", AttributeCatalog.AllSections.Select(s => s.Section))}"));
                continue;
            }
            foreach (var e in SchemaCatalog.Get(known.SchemaId).Validate(section.Value, Partial))
            {
                problems.Add(new("$." + section.Name + e.Path[1..], e.Message));
            }
        }
        return problems;
    }

    /// <summary>What a complete Battery Pass 1.2 export still lacks: missing sections and required members, by full validation.</summary>
    public static IReadOnlyList<ContentProblem> Completeness(JsonElement content)
    {
        var problems = new List<ContentProblem>();
        foreach (var (section, schemaId, _, _) in AttributeCatalog.Sections)
        {
            if (!content.TryGetProperty(section, out var value))
            {
                problems.Add(new($"$.{section}", "the section is missing"));
                continue;
            }
            foreach (var e in SchemaCatalog.Get(schemaId).Validate(value))
            {
                problems.Add(new("$." + section + e.Path[1..], e.Message));
            }
        }
        return problems;
    }

    /// <summary>
    /// Values the schemas allow but no real battery has: a negative mass, a state of charge above 100 %, a date in the future,
    /// a minimum voltage above the maximum. Creating a passport refuses them; importing reports them as warnings (the
    /// published samples hold random values and still import, since their schemas accept them).
    /// </summary>
    public static IReadOnlyList<ContentProblem> Implausible(JsonElement content, DateTimeOffset now)
    {
        var p = new List<ContentProblem>();
        void Positive(string path) { if (Number(content, path) is { } v && !(v > 0)) { p.Add(new($"$.{path}", "must be greater than zero")); } }
        void NonNegative(string path) { if (Number(content, path) is { } v && v < 0) { p.Add(new($"$.{path}", "must not be negative")); } }
        void Percent(string path) { if (Number(content, path) is { } v && (v < 0 || v > 100)) { p.Add(new($"$.{path}", "must be a percentage between 0 and 100")); } }
        void NotFuture(string path)
        {
            if (Text(content, path) is { } s && DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) && at > now.AddMinutes(5))
            {
                p.Add(new($"$.{path}", $"{s} is in the future"));
            }
        }

        Positive("generalProductInformation.batteryMass");
        if (Number(content, "generalProductInformation.batteryMass") is > 100_000)
        {
            p.Add(new("$.generalProductInformation.batteryMass", "is above 100 000 kg: the mass is in kilograms"));
        }
        NotFuture("generalProductInformation.manufacturingDate");
        NotFuture("generalProductInformation.puttingIntoService");

        NonNegative("carbonFootprint.batteryCarbonFootprint");
        NonNegative("carbonFootprint.absoluteCarbonFootprint");
        if (At(content, "carbonFootprint.carbonFootprintPerLifecycleStage") is { ValueKind: JsonValueKind.Array } stages)
        {
            var i = 0;
            foreach (var stage in stages.EnumerateArray())
            {
                // recycling may carry a credit (negative); the other stages emit
                if (stage.TryGetProperty("carbonFootprint", out var v) && v.ValueKind == JsonValueKind.Number && v.GetDouble() < 0
                    && !(stage.TryGetProperty("lifecycleStage", out var name) && name.ValueKind == JsonValueKind.String && name.GetString() == "Recycling"))
                {
                    p.Add(new($"$.carbonFootprint.carbonFootprintPerLifecycleStage[{i}].carbonFootprint", "must not be negative (only recycling may be a credit)"));
                }
                i++;
            }
        }
        Percent("circularity.renewableContent");
        if (At(content, "circularity.recycledContent") is { ValueKind: JsonValueKind.Array } recycled)
        {
            var i = 0;
            foreach (var r in recycled.EnumerateArray())
            {
                var pre = r.TryGetProperty("preConsumerShare", out var a) && a.ValueKind == JsonValueKind.Number ? a.GetDouble() : 0;
                var post = r.TryGetProperty("postConsumerShare", out var b) && b.ValueKind == JsonValueKind.Number ? b.GetDouble() : 0;
                if (pre + post > 100)
                {
                    p.Add(new($"$.circularity.recycledContent[{i}]", $"pre- and post-consumer shares add up to {pre + post} %, more than 100 %"));
                }
                i++;
            }
        }
        if (At(content, "materialComposition.batteryMaterials") is { ValueKind: JsonValueKind.Array } materials)
        {
            var i = 0;
            foreach (var m in materials.EnumerateArray())
            {
                if (m.TryGetProperty("batteryMaterialMass", out var mass) && mass.ValueKind == JsonValueKind.Number && mass.GetDouble() < 0)
                {
                    p.Add(new($"$.materialComposition.batteryMaterials[{i}].batteryMaterialMass", "must not be negative"));
                }
                i++;
            }
        }

        const string T = "performance.batteryTechicalProperties";
        foreach (var f in new[] { "ratedCapacity", "ratedEnergy", "nominalVoltage", "minimumVoltage", "maximumVoltage", "ratedMaximumPower" })
        {
            Positive($"{T}.{f}");
        }
        foreach (var f in new[] { "expectedLifetime", "expectedNumberOfCycles", "cRate", "cRateLifeCycleTest", "initialSelfDischarge", "powerCapabilityRatio" })
        {
            NonNegative($"{T}.{f}");
        }
        foreach (var f in new[] { "roundtripEfficiency", "roundTripEfficiencyat50PerCentCycleLife", "capacityThresholdForExhaustion", "powerFade", "roundTripEfficiencyFade" })
        {
            Percent($"{T}.{f}");
        }
        if (Number(content, $"{T}.minimumVoltage") is { } vmin && Number(content, $"{T}.maximumVoltage") is { } vmax && vmin > vmax)
        {
            p.Add(new($"$.{T}.minimumVoltage", $"{vmin} V is above the maximum voltage {vmax} V"));
        }
        if (Number(content, $"{T}.nominalVoltage") is { } vnom && Number(content, $"{T}.minimumVoltage") is { } lo && Number(content, $"{T}.maximumVoltage") is { } hi && (vnom < lo || vnom > hi))
        {
            p.Add(new($"$.{T}.nominalVoltage", $"{vnom} V is outside the range {lo}–{hi} V"));
        }
        if (Number(content, $"{T}.temperatureRangeIdleState.minimum") is { } tmin && Number(content, $"{T}.temperatureRangeIdleState.maximum") is { } tmax && tmin > tmax)
        {
            p.Add(new($"$.{T}.temperatureRangeIdleState", $"the minimum {tmin} °C is above the maximum {tmax} °C"));
        }

        const string C = "performance.batteryCondition";
        Percent($"{C}.stateOfCharge.stateOfChargeValue");
        Percent($"{C}.stateOfCertifiedEnergy.stateOfCertifiedEnergyValue");
        Percent($"{C}.capacityFade.capacityFadeValue");
        Percent($"{C}.remainingRoundTripEnergyEfficiency.remainingRoundTripEnergyEfficiencyValue");
        NonNegative($"{C}.numberOfFullCycles.numberOfFullCyclesValue");
        NonNegative($"{C}.energyThroughput.energyThroughputValue");
        NonNegative($"{C}.capacityThroughput.capacityThroughputValue");
        NonNegative($"{C}.remainingCapacity.remainingCapacityValue");
        NonNegative($"{C}.remainingEnergy.remainingEnergyValue");
        if (At(content, C) is { ValueKind: JsonValueKind.Object } condition)
        {
            foreach (var item in condition.EnumerateObject())
            {
                if (item.Value.ValueKind == JsonValueKind.Object)
                {
                    NotFuture($"{C}.{item.Name}.lastUpdate");
                }
            }
        }
        return p;
    }

    public static JsonElement? At(JsonElement content, string dottedPath) =>
        AccessFilter.Locate(content, dottedPath.Split('.'), out var value) ? value : null;

    public static double? Number(JsonElement content, string dottedPath) =>
        At(content, dottedPath) is { ValueKind: JsonValueKind.Number } v && v.TryGetDouble(out var d) && double.IsFinite(d) ? d : null;

    public static string? Text(JsonElement content, string dottedPath) =>
        At(content, dottedPath) is { ValueKind: JsonValueKind.String } v ? v.GetString() : null;

    public static string? BatteryId(JsonElement content) => Text(content, $"{General}.productIdentifier");

    public static string? Category(JsonElement content) => Text(content, $"{General}.batteryCategory");

    public static string? Chemistry(JsonElement content) => Text(content, $"{Materials}.batteryChemistry.shortName");

    public static string? StatusText(JsonElement content) => Text(content, $"{General}.batteryStatus");

    /// <summary>Sets a value at a dotted path, creating the objects on the way.</summary>
    public static void Set(JsonObject content, string dottedPath, JsonNode? value)
    {
        var segments = dottedPath.Split('.');
        var node = content;
        foreach (var s in segments[..^1])
        {
            if (node[s] is not JsonObject child)
            {
                child = [];
                node[s] = child;
            }
            node = child;
        }
        node[segments[^1]] = value;
    }

    public static JsonNode? Get(JsonObject content, string dottedPath)
    {
        JsonNode? node = content;
        foreach (var s in dottedPath.Split('.'))
        {
            node = node is JsonObject o ? o[s] : null;
            if (node is null)
            {
                return null;
            }
        }
        return node;
    }

    public static JsonElement ToElement(JsonObject content)
    {
        using var doc = JsonDocument.Parse(content.ToJsonString(JsonText.Options));
        return doc.RootElement.Clone();
    }
}
