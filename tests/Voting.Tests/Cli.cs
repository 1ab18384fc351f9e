extern alias cli;

using System.Diagnostics;
using cli::Socle.Cli;
using Socle.Host;
using Socle.Testing;

namespace Socle.Voting.Tests;

/// <summary>Runs <c>socle</c> in-process, as Cli.Tests' runner does.</summary>
public static class Cli
{
    public sealed record Outcome(int ExitCode, string StdOut, string StdErr)
    {
        public override string ToString() => $"exit {ExitCode}\nstdout: {StdOut}\nstderr: {StdErr}";
    }

    public static async Task<Outcome> RunAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await SocleCli.RunAsync(args, SocleModules.All, stdout, stderr);
        return new Outcome(code, stdout.ToString(), stderr.ToString());
    }

    public static async Task<Outcome> OkAsync(params string[] args)
    {
        var outcome = await RunAsync(args);
        Assert.True(outcome.ExitCode == 0, $"socle {string.Join(' ', args)}\n{outcome}");
        return outcome;
    }

    /// <summary>Runs the browser voting library's command-line tool (<c>node web/tools/voting-cli.mjs</c>) from the repository root.</summary>
    public static Task<Outcome> BrowserLibraryAsync(params string[] args) =>
        ProcessAsync("node", TestData.RepositoryRoot, [Path.Combine(TestData.RepositoryRoot, "web", "tools", "voting-cli.mjs"), .. args]);

    /// <summary>The same, which must succeed; returns its standard output.</summary>
    public static async Task<string> BrowserLibraryOkAsync(params string[] args)
    {
        var outcome = await BrowserLibraryAsync(args);
        Assert.True(outcome.ExitCode == 0, $"node voting-cli.mjs {string.Join(' ', args)}\n{outcome}");
        return outcome.StdOut.TrimEnd('\n');
    }

    /// <summary>Runs another program (belenios-tool) and returns its exit code and output.</summary>
    public static async Task<Outcome> ProcessAsync(string program, string workingDirectory, params string[] args)
    {
        var start = new ProcessStartInfo(program) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }
        using var p = Process.Start(start)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        return new Outcome(p.ExitCode, await stdout, await stderr);
    }
}
