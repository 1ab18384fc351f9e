using Socle.Platform;

namespace Socle.Modules.Heat.Weather;

/// <summary>Finds the weather year a scenario names: a shipped typical year, or an uploaded weather set.</summary>
public static class WeatherSource
{
    private static readonly Dictionary<string, WeatherYear> Cache = new(StringComparer.Ordinal);
    private static readonly Lock CacheLock = new();

    /// <summary>The shipped typical year of a climate (generated once per process).</summary>
    public static WeatherYear? Typical(string id)
    {
        var climate = Climates.Find(id);
        if (climate is null)
        {
            return null;
        }
        lock (CacheLock)
        {
            if (!Cache.TryGetValue(climate.Id, out var year))
            {
                year = TypicalYear.Generate(climate);
                Cache[climate.Id] = year;
            }
            return year;
        }
    }

    /// <summary>
    /// Resolves <paramref name="source"/>: a climate id, or <c>upload:&lt;id&gt;</c> looked up with <paramref name="uploads"/>.
    /// A source that names nothing is "missing weather", naming the field and what exists.
    /// </summary>
    public static async Task<Result<WeatherYear>> ResolveAsync(string source, Func<string, CancellationToken, Task<WeatherYear?>>? uploads, CancellationToken ct)
    {
        if (source.StartsWith("upload:", StringComparison.Ordinal))
        {
            var id = source["upload:".Length..];
            var uploaded = uploads is null ? null : await uploads(id, ct);
            return uploaded is null
                ? Error.Validation("climate.source", $"missing weather: no uploaded weather set '{id}'")
                : uploaded;
        }
        return Typical(source) is { } typical
            ? typical
            : Error.Validation("climate.source", $"missing weather: no climate '{source}'; shipped typical years: {string.Join(", ", Climates.All.Select(c => c.Id))}, or upload:<id>");
    }
}
