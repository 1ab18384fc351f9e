using System.CommandLine;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Socle.Platform.Hosting;

namespace Socle.Platform.Cli;

/// <summary>
/// What a module's command group gets from <c>socle</c>: the global options (<c>--json</c>, <c>--db</c>), the output,
/// and on demand the same services the server has (storage migrated), configured from appsettings.json, environment
/// variables (<c>Socle__Storage__ConnectionString</c>) and <c>--db</c>.
/// </summary>
public sealed class CliContext(IReadOnlyList<SocleModule> modules)
{
    public Option<bool> Json { get; } = new("--json")
    {
        Description = "Write the result as JSON on stdout (messages and progress stay on stderr)",
        Recursive = true,
    };

    public Option<string?> Db { get; } = new("--db")
    {
        Description = "Connection string: 'Data Source=data/socle.db' (SQLite) or 'Host=…;Database=…;Username=…' (PostgreSQL)",
        Recursive = true,
    };

    public IReadOnlyList<SocleModule> Modules { get; } = modules;

    /// <summary>Where results go; the console unless a test or a host redirects it.</summary>
    public TextWriter? StdOut { get; init; }

    /// <summary>Where messages and progress go; the console's error stream unless redirected.</summary>
    public TextWriter? StdErr { get; init; }

    public CliOutput Output(ParseResult parse) => new(parse.GetValue(Json), StdOut, StdErr);

    /// <summary>Builds the platform and module services for a command and, unless told not to, applies pending migrations.</summary>
    public async Task<IHost> StartServicesAsync(ParseResult parse, bool migrate = true, CancellationToken ct = default, Action<IHostApplicationBuilder>? configure = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            ContentRootPath = AppContext.BaseDirectory,
            Args = [],
            EnvironmentName = Environments.Production,
        });
        if (parse.GetValue(Db) is { Length: > 0 } db)
        {
            builder.Configuration.AddInMemoryCollection([new($"{StorageOptions.Section}:ConnectionString", db)]);
        }
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.AddFilter((_, level) => level >= LogLevel.Warning);
        configure?.Invoke(builder);
        builder.AddSoclePlatform();
        builder.AddModules(Modules);
        var host = builder.Build();
        if (migrate)
        {
            await host.Services.MigrateAsync(ct);
        }
        return host;
    }
}
