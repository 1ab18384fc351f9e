using Socle.Modules.Voting.Service;

namespace Socle.Voting.Tests;

/// <summary>The integrity monitor's passes run at the lowest priority, and so do the threads they start.</summary>
public class BackgroundTests
{
    [Fact]
    public async Task Background_work_runs_at_the_lowest_priority_and_its_threads_inherit_it()
    {
        Assert.True(OperatingSystem.IsLinux(), "the tests run on Linux, where the nice value can be read back");
        var before = NiceOfCurrentThread();
        var (own, started) = await Background.RunAsync("test-background", () =>
        {
            int? inner = null;
            var t = new Thread(() => inner = NiceOfCurrentThread());
            t.Start();
            t.Join();
            return (NiceOfCurrentThread(), inner);
        });
        Assert.Equal(19, own);
        Assert.Equal(19, started);
        // The caller's own thread is untouched, and a failure reaches the caller.
        Assert.Equal(before, NiceOfCurrentThread());
        await Assert.ThrowsAsync<InvalidOperationException>(() => Background.RunAsync<int>("test-background", () => throw new InvalidOperationException("boom")));
    }

    /// <summary>The calling thread's nice value: field 19 of /proc/thread-self/stat (counted after the command name).</summary>
    private static int NiceOfCurrentThread()
    {
        var stat = File.ReadAllText("/proc/thread-self/stat");
        return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[16], System.Globalization.CultureInfo.InvariantCulture);
    }
}
