namespace Socle.Modules.Batteries.ValueChain;

/// <summary>The scenarios that come with Socle: the brief's 2030 picture with all announced capacity built, and with half of it.</summary>
public static class BuiltInScenarios
{
    public const string Announced = "eu-2030-announced";
    public const string Halved = "eu-2030-halved";

    public static readonly IReadOnlyList<string> All = [Announced, Halved];

    public static string Text(string name)
    {
        using var stream = typeof(BuiltInScenarios).Assembly.GetManifestResourceStream($"scenarios/{name}.json")
            ?? throw new KeyNotFoundException($"No built-in scenario {name}; built in: {string.Join(", ", All)}.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    public static Scenario Load(string name) => Planner.Parse(Text(name));
}
