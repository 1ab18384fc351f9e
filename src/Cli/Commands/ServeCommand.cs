using System.CommandLine;
using Socle.Host;
using Socle.Platform.Cli;
using Socle.Platform.Hosting;

namespace Socle.Cli.Commands;

/// <summary><c>socle serve [--modules voting] [--urls http://127.0.0.1:5080] [any host setting as --Key value]</c></summary>
internal static class ServeCommand
{
    public static Command Create(CliContext context)
    {
        var modules = new Option<string?>("--modules") { Description = "Comma-separated modules to enable (default: all)" };
        var urls = new Option<string?>("--urls") { Description = "Addresses to listen on (default: http://localhost:5080)" };
        var election = new Option<string?>("--election") { Description = "Serve one election only, in its own process (implies --modules voting)" };
        var command = new Command("serve", "Run the Socle web server (API and pages)")
        {
            modules,
            urls,
            election,
        };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(async (parse, ct) =>
        {
            var args = new List<string>(parse.UnmatchedTokens);
            if (parse.GetValue(modules) is { } m)
            {
                args.AddRange(["--modules", m]);
            }
            else if (parse.GetValue(election) is not null)
            {
                args.AddRange(["--modules", "voting"]);
            }
            if (parse.GetValue(election) is { } id)
            {
                args.AddRange(["--Socle:Voting:Election", id]);
            }
            if (parse.GetValue(urls) is { } u)
            {
                args.AddRange(["--urls", u]);
            }
            if (parse.GetValue(context.Db) is { } db)
            {
                args.AddRange([$"--{StorageOptions.Section}:ConnectionString", db]);
            }
            return await SocleApp.Build([.. args]).RunSocleAsync();
        });
        return command;
    }
}
