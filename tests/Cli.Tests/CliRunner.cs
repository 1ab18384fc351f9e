using System.Diagnostics;
using Socle.Host;

namespace Socle.Cli.Tests;

/// <summary>Runs <c>socle</c> in-process (fast) or as a real process (exit codes, streams).</summary>
public static class CliRunner
{
    public sealed record Outcome(int ExitCode, string StdOut, string StdErr);

    public static async Task<Outcome> RunAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await SocleCli.RunAsync(args, SocleModules.All, stdout, stderr);
        return new Outcome(code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>Runs the built socle.dll with dotnet, in <paramref name="workingDirectory"/>.</summary>
    public static async Task<Outcome> RunProcessAsync(string workingDirectory, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "socle.dll"));
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return new Outcome(process.ExitCode, await stdout, await stderr);
    }
}
