using Socle.Modules.Loyalty.Programs;

namespace Socle.Modules.Loyalty.Rules;

/// <summary>A member's tier: the level's index (−1: no tier yet) and, when they fell short, until when they keep it.</summary>
public readonly record struct TierState(int Level, DateTimeOffset? GraceUntil);

/// <summary>
/// Tiers are earned on points <em>earned</em> in a rolling window (not on the balance: spending points never costs a tier).
/// Going up is immediate. Falling short starts a grace period during which the tier is kept; when it ends, the member
/// goes down one level (<c>one_down</c>, and a new grace period starts if still short) or straight to the level the
/// earned points justify (<c>recompute</c>).
/// </summary>
public static class Tiers
{
    public static int Qualified(TierSettings settings, long earnedInWindow)
    {
        var level = -1;
        for (var i = 0; i < settings.Levels.Count; i++)
        {
            if (earnedInWindow >= settings.Levels[i].MinEarned)
            {
                level = i;
            }
        }
        return level;
    }

    public static TierState Evaluate(TierSettings settings, TierState current, long earnedInWindow, DateTimeOffset now)
    {
        var qualified = Qualified(settings, earnedInWindow);
        var level = Math.Min(current.Level, settings.Levels.Count - 1);
        if (qualified >= level)
        {
            return new TierState(qualified, null);
        }
        if (current.GraceUntil is null)
        {
            return settings.GraceDays == 0 ? Down() : new TierState(level, now.AddDays(settings.GraceDays));
        }
        return now < current.GraceUntil ? new TierState(level, current.GraceUntil) : Down();

        TierState Down()
        {
            var next = settings.Downgrade == DowngradePolicy.OneDown ? level - 1 : qualified;
            return next > qualified && settings.GraceDays > 0 ? new TierState(next, now.AddDays(settings.GraceDays)) : new TierState(Math.Max(next, qualified), null);
        }
    }
}
