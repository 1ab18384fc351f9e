using System.Text.Json;
using Socle.Platform;

namespace Socle.Modules.Heat.Scenarios;

/// <summary>The scenarios shipped with Socle (Data/scenarios/*.json, embedded): the brief's four networks and examples.</summary>
public static class ShippedScenarios
{
    private static readonly Lazy<IReadOnlyList<Scenario>> Loaded = new(Load);

    public static IReadOnlyList<Scenario> All => Loaded.Value;

    public static Scenario? Find(string id) => All.FirstOrDefault(s => s.Id == id);

    private static List<Scenario> Load()
    {
        var assembly = typeof(ShippedScenarios).Assembly;
        var list = new List<Scenario>();
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith("heat/scenarios/", StringComparison.Ordinal) && n.EndsWith(".json", StringComparison.Ordinal)).Order())
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            list.Add(JsonSerializer.Deserialize<Scenario>(stream, Scenario.Json)
                ?? throw new InvalidOperationException($"shipped scenario {name} is empty"));
        }
        return list;
    }

    /// <summary>
    /// Reads a scenario document. Syntax errors and unknown or mistyped fields come back as a validation error naming the
    /// JSON path and line ("$.production[0].capacity_kw, line 40").
    /// </summary>
    public static Result<Scenario> Parse(string json)
    {
        try
        {
            var scenario = JsonSerializer.Deserialize<Scenario>(json, Scenario.Json);
            return scenario is null ? Error.Validation("document", "is empty") : scenario;
        }
        catch (JsonException e)
        {
            var where = e.Path is { Length: > 0 } p ? p : "document";
            var line = e.LineNumber is { } l ? $" (line {l + 1})" : "";
            var message = e.Message.Split(" Path:")[0];
            return Error.Validation(where, message + line);
        }
    }
}
