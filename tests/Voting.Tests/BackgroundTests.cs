using Socle.Modules.Voting.Service;

namespace Socle.Voting.Tests;

/// <summary>The integrity monitor's passes run at the lowest priority, and so do the threads they start.</summary>
public class BackgroundTests
{
    [Fact]
    public async Task Background_work_runs_at_the_lowest_priority_and_its_threads_inherit_it()
    {
        Assert.True(OperatingSystem.IsLinux(), "the tests run on Linux, where the nice value can be read back");
        var before = Background.NiceOfCurrentThread();
        Assert.NotNull(before);
        var (own, started) = await Background.RunAsync("test-background", () =>
        {
            int? inner = null;
            var t = new Thread(() => inner = Background.NiceOfCurrentThread());
            t.Start();
            t.Join();
            return (Background.NiceOfCurrentThread(), inner);
        });
        Assert.Equal(19, own);
        Assert.Equal(19, started);
        // The caller's own thread is untouched, and a failure reaches the caller.
        Assert.Equal(before, Background.NiceOfCurrentThread());
        await Assert.ThrowsAsync<InvalidOperationException>(() => Background.RunAsync<int>("test-background", () => throw new InvalidOperationException("boom")));
    }
}
