using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Socle.Platform.Storage;

namespace Socle.Platform.Hosting;

/// <summary>
/// A module's demo data, seeded once per database the first time the server starts (when <c>Socle:Demo:Seed</c> is on),
/// so that a newcomer sees a working example of each module. Recorded in <c>platform_demo_data</c>.
/// </summary>
public interface IDemoData
{
    string Module { get; }

    Task SeedAsync(IServiceProvider services, CancellationToken ct);
}

internal static class DemoDataRunner
{
    public static async Task SeedAsync(IServiceProvider services, CancellationToken ct)
    {
        var db = services.GetRequiredService<Database>();
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("Socle.Platform");
        var time = services.GetRequiredService<TimeProvider>();
        var registry = services.GetRequiredService<ModuleRegistry>();
        foreach (var demo in services.GetServices<IDemoData>().Where(d => registry.IsEnabled(d.Module)))
        {
            await using (var c = await db.OpenAsync(ct))
            {
                var done = await c.ExecuteScalarAsync<long>(new CommandDefinition(
                    "SELECT COUNT(*) FROM platform_demo_data WHERE module = @m", new { m = demo.Module }, cancellationToken: ct));
                if (done > 0)
                {
                    continue;
                }
            }
            await demo.SeedAsync(services, ct);
            await using (var c = await db.OpenAsync(ct))
            {
                await c.ExecuteAsync(new CommandDefinition(
                    "INSERT INTO platform_demo_data (module, seeded_at) VALUES (@m, @t) ON CONFLICT (module) DO NOTHING",
                    new { m = demo.Module, t = Sql.Time(time.GetUtcNow()) }, cancellationToken: ct));
            }
            Log.DemoSeeded(logger, demo.Module);
        }
    }
}
