using System.Text.Json;
using System.Text.Json.Serialization;
using Spectre.Console;

namespace Socle.Platform.Cli;

/// <summary>Exit codes of <c>socle</c>: 0 success; the others say what kind of failure.</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    /// <summary>A check failed: a journal, a board, a signature does not verify.</summary>
    public const int CheckFailed = 1;
    public const int Usage = 2;
    public const int NotFound = 3;
    public const int Conflict = 4;
    public const int Forbidden = 5;
    public const int Internal = 70;
}

/// <summary>
/// How a command speaks: results on stdout (a table or text for people, or one JSON document with <c>--json</c>),
/// progress and messages on stderr, so that <c>socle ... --json | jq</c> always works.
/// </summary>
public sealed class CliOutput
{
    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public CliOutput(bool json, TextWriter? stdout = null, TextWriter? stderr = null)
    {
        IsJson = json;
        StdOut = stdout ?? Console.Out;
        StdErr = stderr ?? Console.Error;
        Out = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(StdOut) });
        Err = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(StdErr) });
    }

    public bool IsJson { get; }

    public TextWriter StdOut { get; }

    public TextWriter StdErr { get; }

    /// <summary>Where human-readable results go (stdout).</summary>
    public IAnsiConsole Out { get; }

    /// <summary>Where progress and messages go (stderr).</summary>
    public IAnsiConsole Err { get; }

    /// <summary>Prints a result: <paramref name="json"/> as JSON with <c>--json</c>, otherwise through <paramref name="human"/>.</summary>
    public void Result(object json, Action<IAnsiConsole> human)
    {
        if (IsJson)
        {
            StdOut.WriteLine(JsonSerializer.Serialize(json, JsonOptions));
        }
        else
        {
            human(Out);
        }
    }

    public void Info(string message) => StdErr.WriteLine(message);

    /// <summary>Reports an expected failure and returns its exit code. With <c>--json</c> the error is also a JSON document on stdout.</summary>
    public int Fail(Error error)
    {
        StdErr.WriteLine($"error: {error.Message}");
        if (IsJson)
        {
            StdOut.WriteLine(JsonSerializer.Serialize(new { error = new { code = error.Code, message = error.Message, fields = error.Fields } }, JsonOptions));
        }
        return error.ExitCode;
    }

    /// <summary>
    /// Runs long work with a progress bar on stderr (plain milestone lines when stderr is not a terminal).
    /// The work reports how many of <paramref name="total"/> items are done.
    /// </summary>
    public async Task<T> ProgressAsync<T>(string description, long total, Func<IProgress<long>, Task<T>> work)
    {
        if (Console.IsErrorRedirected || total <= 0 || StdErr != Console.Error)
        {
            var milestones = new MilestoneProgress(StdErr, description, total);
            return await work(milestones);
        }
        T result = default!;
        await Err.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .StartAsync(async ctx =>
            {
                var task = ctx.AddTask(description, maxValue: total);
                result = await work(new Progress<long>(done => task.Value = Math.Min(done, total)));
                task.Value = total;
            });
        return result;
    }

    private sealed class MilestoneProgress(TextWriter writer, string description, long total) : IProgress<long>
    {
        private int _lastDecile = -1;

        public void Report(long value)
        {
            if (total < 10_000)
            {
                return; // small jobs finish before a milestone would help
            }
            var decile = (int)Math.Min(10, value * 10 / total);
            if (Interlocked.Exchange(ref _lastDecile, decile) != decile)
            {
                writer.WriteLine($"{description}: {decile * 10}% ({value}/{total})");
            }
        }
    }
}
