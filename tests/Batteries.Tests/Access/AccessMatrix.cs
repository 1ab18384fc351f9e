using System.Text.Json;
using Socle.Modules.Batteries.Access;
using Socle.Modules.Batteries.Demo;
using Socle.Modules.Batteries.Passports;

namespace Socle.Batteries.Tests.Access;

/// <summary>
/// Checks one view of a passport against the access rules, attribute by attribute: what the group may read is there with
/// its exact value; what it may not read is absent — its property, and its value anywhere in the view.
/// </summary>
public static class AccessMatrix
{
    /// <summary>The full content of the sample used for access checks (every catalogue attribute present).</summary>
    public static JsonElement FullContent(string passportId = "urn:socle:0123456789abcdef0123456789abcdef")
    {
        var content = SamplePassports.Load(SamplePassports.EvNmc811);
        content["generalProductInformation"]!["batteryPassportIdentifier"] = passportId;
        content["generalProductInformation"]!["batteryStatus"] = "Reused";
        content["generalProductInformation"]!["operatorInformation"] = System.Text.Json.Nodes.JsonNode.Parse(
            """{"contactName":"Cellules du Nord SAS","postalAddress":{"addressCountry":"FR","postalCode":"59140","streetAddress":"1 quai de la Batterie, Dunkerque"},"identifier":"3770031220000"}""");
        content["performance"]!["batteryCondition"]!["negativeEvents"] = System.Text.Json.Nodes.JsonNode.Parse(
            """[{"negativeEvent":"Thermal event in module 7 after crash","lastUpdate":"2026-05-02T11:00:00Z"}]""");
        return PassportContent.ToElement(content);
    }

    /// <summary>Values too common to search for as text (0, 100, short words) are checked by path only.</summary>
    private static bool Distinctive(string raw) => raw.Length >= 8 && raw is not ("\"Original\"" or "\"Reused\"");

    /// <summary>Returns every violation; empty when <paramref name="view"/> is exactly what <paramref name="group"/> may see.</summary>
    public static IReadOnlyList<string> Violations(JsonElement full, AccessGroup group, JsonElement view, string? wholeText = null)
    {
        var violations = new List<string>();
        var text = wholeText ?? view.GetRawText();
        var readableValues = AttributeCatalog.All
            .Where(a => AccessRules.CanRead(group, a.Access) && AccessFilter.Locate(full, a.Segments, out _))
            .Select(a => { AccessFilter.Locate(full, a.Segments, out var v); return v.GetRawText(); })
            .ToList();
        foreach (var attribute in AttributeCatalog.All)
        {
            if (!AccessFilter.Locate(full, attribute.Segments, out var expected))
            {
                violations.Add($"{attribute.Path}: missing from the test passport");
                continue;
            }
            var present = AccessFilter.Locate(view, attribute.Segments, out var actual);
            if (AccessRules.CanRead(group, attribute.Access))
            {
                if (!present)
                {
                    violations.Add($"{attribute.Path}: {group} may read it but it is absent");
                }
                else if (!JsonEquals(expected, actual))
                {
                    violations.Add($"{attribute.Path}: {group} sees {actual.GetRawText()}, stored {expected.GetRawText()}");
                }
            }
            else
            {
                if (present)
                {
                    violations.Add($"{attribute.Path}: {group} may not read it but it is present");
                }
                foreach (var leaf in Leaves(expected).Where(Distinctive))
                {
                    if (!readableValues.Any(r => r.Contains(leaf, StringComparison.Ordinal)) && text.Contains(Unquote(leaf), StringComparison.Ordinal))
                    {
                        violations.Add($"{attribute.Path}: its value {leaf} leaks into the {group} view");
                    }
                }
            }
        }
        return violations;
    }

    /// <summary>Restricted values that appear in a text (an HTML page, a document of another model): the leak half of <see cref="Violations"/>.</summary>
    public static IReadOnlyList<string> Leaks(JsonElement full, AccessGroup group, string text)
    {
        var readableValues = AttributeCatalog.All
            .Where(a => AccessRules.CanRead(group, a.Access) && AccessFilter.Locate(full, a.Segments, out _))
            .Select(a => { AccessFilter.Locate(full, a.Segments, out var v); return v.GetRawText(); })
            .ToList();
        var leaks = new List<string>();
        foreach (var attribute in AttributeCatalog.All.Where(a => !AccessRules.CanRead(group, a.Access)))
        {
            if (!AccessFilter.Locate(full, attribute.Segments, out var value))
            {
                continue;
            }
            foreach (var leaf in Leaves(value).Where(Distinctive))
            {
                if (!readableValues.Any(r => r.Contains(leaf, StringComparison.Ordinal)) && text.Contains(Unquote(leaf), StringComparison.Ordinal))
                {
                    leaks.Add($"{attribute.Path}: {leaf} leaks");
                }
            }
        }
        return leaks;
    }

    private static string Unquote(string raw) => raw.StartsWith('"') ? raw[1..^1] : raw;

    private static IEnumerable<string> Leaves(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Object => e.EnumerateObject().SelectMany(p => Leaves(p.Value)),
        JsonValueKind.Array => e.EnumerateArray().SelectMany(Leaves),
        _ => [e.GetRawText()],
    };

    private static bool JsonEquals(JsonElement a, JsonElement b) =>
        JsonSerializer.Serialize(a) == JsonSerializer.Serialize(b);
}
