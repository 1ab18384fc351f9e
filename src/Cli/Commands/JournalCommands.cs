using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Socle.Platform;
using Socle.Platform.Cli;
using Spectre.Console;
using Socle.Platform.Journal;

namespace Socle.Cli.Commands;

/// <summary><c>socle journal verify &lt;file&gt;</c>, <c>socle journal export</c>.</summary>
internal static class JournalCommands
{
    public static Command Create(CliContext context)
    {
        var group = new Command("journal", "The hash-chained audit journal: export it, verify an export");

        var file = new Argument<FileInfo>("file") { Description = "A journal export (JSON lines), as written by 'socle journal export'" };
        var expectHead = new Option<string[]>("--expect-head")
        {
            Description = "A head published elsewhere, as <hash> or <stream>=<hash>: the export must end there",
            AllowMultipleArgumentsPerToken = false,
        };
        var verify = new Command("verify", "Verify a journal export: payload and event hashes, heights, parent links, trailer") { file, expectHead };
        verify.SetAction(async (parse, ct) =>
        {
            var output = context.Output(parse);
            var path = parse.GetValue(file)!;
            if (!path.Exists)
            {
                return output.Fail(Error.NotFound($"File {path.FullName}"));
            }
            Dictionary<string, string>? heads = null;
            foreach (var spec in parse.GetValue(expectHead) ?? [])
            {
                heads ??= [];
                var parts = spec.Split('=', 2);
                heads[parts.Length == 2 ? parts[0] : ""] = parts[^1];
            }
            var bytes = await File.ReadAllBytesAsync(path.FullName, ct);
            var started = System.Diagnostics.Stopwatch.StartNew();
            var result = await output.ProgressAsync("verifying", Math.Max(1, CountLines(bytes)), progress =>
                Task.Run(() => JournalVerifier.Verify(bytes, heads, progress), ct));
            var seconds = started.Elapsed.TotalSeconds;
            output.Result(new
            {
                ok = result.Ok,
                file = path.FullName,
                events = result.Events,
                heads = result.Heads,
                problem = result.Problem,
                seconds = Math.Round(seconds, 3),
            }, console =>
            {
                if (result.Ok)
                {
                    console.WriteLine($"OK: {result.Events} events in {result.Heads.Count} stream(s) verified in {seconds:F2} s.");
                    foreach (var h in result.Heads)
                    {
                        console.WriteLine($"  {h.Stream}: height {h.Height}, head {h.Hash}");
                    }
                }
            });
            if (!result.Ok)
            {
                var p = result.Problem!;
                var where = p.Stream is null ? $"line {p.Line}" : $"line {p.Line}, {p.Stream} height {p.Height}";
                output.Info($"FAILED at {where} ({p.Kind}): {p.Message}");
                return ExitCodes.CheckFailed;
            }
            return ExitCodes.Ok;
        });
        group.Subcommands.Add(verify);

        var stream = new Option<string[]>("--stream") { Description = "Stream(s) to export (default: all)" };
        var outFile = new Option<FileInfo?>("--out") { Description = "Write to this file instead of stdout" };
        var export = new Command("export", "Export the stored journal as JSON lines with a trailer") { stream, outFile };
        export.SetAction(async (parse, ct) =>
        {
            using var host = await context.StartServicesAsync(parse, migrate: true, ct);
            var journal = host.Services.GetRequiredService<Journal>();
            var streams = parse.GetValue(stream) is { Length: > 0 } s ? s : null;
            if (parse.GetValue(outFile) is { } target)
            {
                await using var fs = File.Create(target.FullName);
                await journal.ExportAsync(fs, streams, ct);
                context.Output(parse).Info($"Journal written to {target.FullName}");
            }
            else if (context.StdOut is { } writer)
            {
                using var buffer = new MemoryStream();
                await journal.ExportAsync(buffer, streams, ct);
                await writer.WriteAsync(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
            }
            else
            {
                await using var stdout = Console.OpenStandardOutput();
                await journal.ExportAsync(stdout, streams, ct);
            }
            return ExitCodes.Ok;
        });
        group.Subcommands.Add(export);
        return group;
    }

    private static long CountLines(byte[] bytes) => bytes.AsSpan().Count((byte)'\n');
}
