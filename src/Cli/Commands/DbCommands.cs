using System.CommandLine;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Socle.Platform.Cli;
using Spectre.Console;
using Socle.Platform.Hosting;
using Socle.Platform.Storage;

namespace Socle.Cli.Commands;

/// <summary><c>socle db migrate</c>, <c>socle db status</c>.</summary>
internal static class DbCommands
{
    public static Command Create(CliContext context)
    {
        var group = new Command("db", "Database: apply migrations, show what is applied");

        var migrate = new Command("migrate", "Apply pending migrations of the platform and every module");
        migrate.SetAction(async (parse, ct) =>
        {
            var output = context.Output(parse);
            using var host = await context.StartServicesAsync(parse, migrate: false, ct);
            var db = host.Services.GetRequiredService<Database>();
            var report = await host.Services.MigrateAsync(ct);
            output.Result(new { database = db.Describe(), applied = report.Applied, already_applied = report.AlreadyApplied }, console =>
            {
                console.WriteLine($"{db.Describe()}: {report.Applied.Count} migration(s) applied, {report.AlreadyApplied} already applied.");
                foreach (var name in report.Applied)
                {
                    console.WriteLine($"  applied {name}");
                }
            });
            return ExitCodes.Ok;
        });
        group.Subcommands.Add(migrate);

        var status = new Command("status", "List the applied migrations");
        status.SetAction(async (parse, ct) =>
        {
            var output = context.Output(parse);
            using var host = await context.StartServicesAsync(parse, migrate: false, ct);
            var db = host.Services.GetRequiredService<Database>();
            await host.Services.GetRequiredService<MigrationRunner>().RunAsync([], ct);
            await using var c = await db.OpenAsync(ct);
            var rows = (await c.QueryAsync<MigrationRow>("SELECT module, version, name, checksum, applied_at AS AppliedAt FROM socle_migrations ORDER BY module, version")).AsList();
            var pending = host.Services.GetServices<MigrationSet>().SelectMany(s => s.ScriptsFor(db.Provider))
                .Where(s => !rows.Any(r => r.Module == s.Module && r.Version == s.Version))
                .Select(s => $"{s.Module}/{s.Version:D4}_{s.Name}").ToList();
            output.Result(new { database = db.Describe(), applied = rows, pending }, console =>
            {
                var table = new Table().AddColumns("module", "version", "name", "applied at");
                foreach (var r in rows)
                {
                    table.AddRow(r.Module, r.Version.ToString("D4", System.Globalization.CultureInfo.InvariantCulture), r.Name, r.AppliedAt);
                }
                console.Write(table);
                console.WriteLine(pending.Count == 0 ? "No pending migration." : $"Pending: {string.Join(", ", pending)}");
            });
            return ExitCodes.Ok;
        });
        group.Subcommands.Add(status);
        return group;
    }

    private sealed record MigrationRow(string Module, long Version, string Name, string Checksum, string AppliedAt);
}
