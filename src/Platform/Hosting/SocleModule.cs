using System.CommandLine;
using System.Reflection;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Hosting;
using Socle.Platform.Cli;
using Socle.Platform.Web;

namespace Socle.Platform.Hosting;

/// <summary>
/// What a module tells the host and the CLI about itself. Each module declares one in <c>&lt;Module&gt;Module.cs</c>:
/// its <c>AddX</c> (options, services, migrations), its <c>MapX</c> (API under <c>/api/x</c>, pages under <c>/x</c>),
/// its <c>socle</c> command group, and the assembly holding its pages.
/// </summary>
public sealed record SocleModule
{
    /// <summary>Lowercase name used by <c>--modules</c> and in routes: <c>voting</c>, <c>heat</c>, <c>batteries</c>, <c>loyalty</c>.</summary>
    public required string Name { get; init; }

    public required LocalizedText Title { get; init; }

    /// <summary>Two lines for the home page: what the module does and for whom.</summary>
    public required LocalizedText Summary { get; init; }

    /// <summary>The module's first page, linked from the navigation and the home page.</summary>
    public required string Path { get; init; }

    public required Action<IHostApplicationBuilder> Add { get; init; }

    public required Action<IEndpointRouteBuilder> Map { get; init; }

    /// <summary>The module's command group for <c>socle</c>, if it has one.</summary>
    public Func<CliContext, Command>? Cli { get; init; }

    /// <summary>The assembly whose routable Razor components are the module's pages.</summary>
    public Assembly? Pages { get; init; }
}

/// <summary>The modules this process runs, in navigation order.</summary>
public sealed class ModuleRegistry(IReadOnlyList<SocleModule> enabled)
{
    public IReadOnlyList<SocleModule> Enabled { get; } = enabled;

    public IEnumerable<Assembly> PageAssemblies => Enabled.Where(m => m.Pages is not null).Select(m => m.Pages!).Distinct();

    public bool IsEnabled(string name) => Enabled.Any(m => m.Name == name);
}
