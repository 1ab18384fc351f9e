namespace Socle.Testing;

/// <summary>A clock that moves only when told to. Starts at 2026-01-15 09:00 UTC unless given a start.</summary>
public sealed class FakeClock(DateTimeOffset? start = null) : TimeProvider
{
    private DateTimeOffset _now = start ?? new DateTimeOffset(2026, 1, 15, 9, 0, 0, TimeSpan.Zero);
    private readonly Lock _lock = new();

    public override DateTimeOffset GetUtcNow()
    {
        lock (_lock)
        {
            return _now;
        }
    }

    public void Advance(TimeSpan by)
    {
        lock (_lock)
        {
            _now += by;
        }
    }

    public void Set(DateTimeOffset to)
    {
        lock (_lock)
        {
            _now = to;
        }
    }
}
