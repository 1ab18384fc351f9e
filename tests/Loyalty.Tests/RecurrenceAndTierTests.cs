using Socle.Modules.Loyalty.Programs;
using Socle.Modules.Loyalty.Rules;

namespace Socle.Loyalty.Tests;

public class RecurrenceAndTierTests
{
    private static Recurrence Window(DateTime start, string duration, string? rrule)
    {
        Assert.True(ProgrammeDefinition.TryDuration(duration, out var d));
        Assert.True(Recurrence.TryCreate(start, d, rrule, "Europe/Paris", out var r, out var error), error);
        return r;
    }

    private static DateTimeOffset Paris(int y, int m, int d, int h, int min = 0) =>
        new(TimeZoneInfo.ConvertTimeToUtc(new DateTime(y, m, d, h, min, 0), TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris")), TimeSpan.Zero);

    [Fact]
    public void Last_friday_of_the_month_with_a_count()
    {
        var r = Window(new DateTime(2026, 1, 30, 9, 0, 0), "P1D", "FREQ=MONTHLY;BYDAY=-1FR;COUNT=3");
        Assert.True(r.IsActive(Paris(2026, 1, 30, 12)));
        Assert.True(r.IsActive(Paris(2026, 2, 27, 12)));
        Assert.False(r.IsActive(Paris(2026, 2, 20, 12)));   // a Friday, not the last
        Assert.True(r.IsActive(Paris(2026, 3, 27, 12)));
        Assert.False(r.IsActive(Paris(2026, 4, 24, 12)));   // COUNT=3 reached
        Assert.True(r.IsActive(Paris(2026, 3, 28, 8)));     // the day-long window runs into Saturday morning
    }

    [Fact]
    public void Every_other_week_until_a_date()
    {
        var r = Window(new DateTime(2026, 3, 2, 8, 0, 0), "PT4H", "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE;UNTIL=20260401");
        Assert.True(r.IsActive(Paris(2026, 3, 2, 9)));
        Assert.True(r.IsActive(Paris(2026, 3, 4, 11)));
        Assert.False(r.IsActive(Paris(2026, 3, 9, 9)));  // the off week
        Assert.True(r.IsActive(Paris(2026, 3, 16, 9)));
        Assert.False(r.IsActive(Paris(2026, 4, 13, 9))); // after UNTIL
        Assert.False(r.IsActive(Paris(2026, 3, 2, 12, 1)));
    }

    private static readonly TierSettings Settings = new(365, [new TierLevel("Argent", 1000), new TierLevel("Or", 5000)], DowngradePolicy.OneDown, 30);
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Tiers_rise_at_once_on_points_earned()
    {
        Assert.Equal(new TierState(-1, null), Tiers.Evaluate(Settings, new TierState(-1, null), 999, Now));
        Assert.Equal(new TierState(1, null), Tiers.Evaluate(Settings, new TierState(-1, null), 5000, Now));
    }

    [Fact]
    public void Falling_short_keeps_the_tier_for_the_grace_period_then_goes_down_one_level_at_a_time()
    {
        var start = Tiers.Evaluate(Settings, new TierState(1, null), 200, Now);
        Assert.Equal(new TierState(1, Now.AddDays(30)), start);
        Assert.Equal(start, Tiers.Evaluate(Settings, start, 200, Now.AddDays(29)));
        var down = Tiers.Evaluate(Settings, start, 200, Now.AddDays(30));
        Assert.Equal(new TierState(0, Now.AddDays(60)), down); // Or → Argent, still short: a new grace period
        Assert.Equal(new TierState(-1, null), Tiers.Evaluate(Settings, down, 200, Now.AddDays(61)));
        // earning again during grace cancels it
        Assert.Equal(new TierState(1, null), Tiers.Evaluate(Settings, start, 5200, Now.AddDays(10)));
    }

    [Fact]
    public void The_recompute_policy_goes_straight_to_the_deserved_level()
    {
        var s = Settings with { Downgrade = DowngradePolicy.Recompute };
        Assert.Equal(new TierState(-1, null), Tiers.Evaluate(s, new TierState(1, Now), 200, Now.AddDays(1)));
    }
}
