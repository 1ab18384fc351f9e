using System.CommandLine;
using Socle.Cli.Commands;
using Socle.Platform.Cli;
using Socle.Platform.Hosting;

namespace Socle.Cli;

/// <summary>The root command: platform commands, then each module's group.</summary>
public static class SocleCli
{
    public static RootCommand Build(CliContext context)
    {
        var root = new RootCommand("Socle: internet voting, heat networks, battery passports and loyalty programmes, on one platform.");
        root.Options.Add(context.Json);
        root.Options.Add(context.Db);
        root.Subcommands.Add(ServeCommand.Create(context));
        root.Subcommands.Add(DbCommands.Create(context));
        root.Subcommands.Add(JournalCommands.Create(context));
        foreach (var module in context.Modules.Where(m => m.Cli is not null))
        {
            root.Subcommands.Add(module.Cli!(context));
        }
        return root;
    }

    public static async Task<int> RunAsync(string[] args, IReadOnlyList<SocleModule> modules, TextWriter? stdout = null, TextWriter? stderr = null)
    {
        var context = new CliContext(modules) { StdOut = stdout, StdErr = stderr };
        var root = Build(context);
        var parse = root.Parse(args);
        var config = new InvocationConfiguration { EnableDefaultExceptionHandler = false };
        if (stdout is not null)
        {
            config.Output = stdout;
        }
        if (stderr is not null)
        {
            config.Error = stderr;
        }
        try
        {
            return await parse.InvokeAsync(config);
        }
        catch (OperationCanceledException)
        {
            (stderr ?? Console.Error).WriteLine("cancelled");
            return 130;
        }
        catch (Exception e) when (e is Microsoft.Extensions.Options.OptionsValidationException or Platform.Storage.MigrationChangedException or Platform.Storage.MigrationFailedException)
        {
            (stderr ?? Console.Error).WriteLine($"error: {e.Message}");
            return ExitCodes.Usage;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            (stderr ?? Console.Error).WriteLine($"error: {e.Message}");
            return ExitCodes.NotFound;
        }
        catch (Exception e)
        {
            (stderr ?? Console.Error).WriteLine($"internal error: {e.GetType().Name}: {e.Message}");
            return ExitCodes.Internal;
        }
    }
}
