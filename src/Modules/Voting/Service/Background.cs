using System.Runtime.InteropServices;

namespace Socle.Modules.Voting.Service;

/// <summary>
/// Runs CPU work that must not slow what voters wait for — the integrity monitor's passes over the board — on a
/// thread of the lowest scheduling priority: on Linux the thread's nice value is raised to 19 (threads it starts
/// inherit it), elsewhere <see cref="ThreadPriority.Lowest"/>. Such work takes the cores' idle time; under full load
/// it slows down instead of adding to the casts' latency.
/// </summary>
internal static partial class Background
{
    public static Task<T> RunAsync<T>(string name, Func<T> work)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            Lower();
            try
            {
                done.SetResult(work());
            }
            catch (Exception e)
            {
                done.SetException(e);
            }
        })
        { IsBackground = true, Name = name };
        thread.Start();
        return done.Task;
    }

    private static void Lower()
    {
        if (OperatingSystem.IsLinux())
        {
            try
            {
                // PRIO_PROCESS with a thread id sets that thread's nice value (no privilege needed to lower priority).
                _ = SetPriority(0, (uint)GetThreadId(), 19);
                return;
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
            {
                // No libc entry points: fall back to the runtime's priority.
            }
        }
        Thread.CurrentThread.Priority = ThreadPriority.Lowest;
    }

    [LibraryImport("libc", EntryPoint = "setpriority")]
    private static partial int SetPriority(int which, uint who, int priority);

    [LibraryImport("libc", EntryPoint = "gettid")]
    private static partial int GetThreadId();
}
