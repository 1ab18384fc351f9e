using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Socle.Modules.Batteries.Passports;

/// <summary>What the resolver needs of a passport's head to choose and check a rendered view.</summary>
public sealed record HeadKey(string Hash, string Lifecycle, string OperatorId);

/// <summary>
/// Heads the resolver read recently, kept <c>Socle:Batteries:ResolverHeadMilliseconds</c> (0 turns it off) so that a
/// popular passport does not cost a database read per scan. A change recorded by this server drops the head at once;
/// a change recorded by another server is seen here within that time — within the 60 s the public answers' HTTP caching
/// already allows. Used for the public only. Only found passports are kept: a passport created anywhere is resolvable at once.
/// </summary>
public sealed class PassportHeadCache(IOptions<BatteriesOptions> options, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, (HeadKey Key, long Until)> _heads = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _changed = new(StringComparer.Ordinal);

    private long Lifetime => options.Value.ResolverHeadMilliseconds * TimeSpan.TicksPerMillisecond;

    public bool TryGet(string id, out HeadKey key)
    {
        if (Lifetime > 0 && _heads.TryGetValue(id, out var entry) && entry.Until > time.GetUtcNow().UtcTicks)
        {
            key = entry.Key;
            return true;
        }
        key = default!;
        return false;
    }

    public void Set(string id, HeadKey key)
    {
        if (Lifetime <= 0)
        {
            return;
        }
        var now = time.GetUtcNow().UtcTicks;
        if (_changed.TryGetValue(id, out var changedUntil) && changedUntil > now)
        {
            return; // changed here a moment ago, perhaps not committed yet: read it from the database for a while
        }
        if (_heads.Count >= Math.Max(1_000, options.Value.ResolverCacheEntries))
        {
            _heads.Clear(); // bounded memory; entries live a second or so anyway
        }
        _heads[id] = (key, now + Lifetime);
    }

    /// <summary>
    /// Forgets a passport's head and keeps it out of the cache for one lifetime: called when this server records a new
    /// version (inside the writing transaction, so a reader between this call and the commit must not cache the old head).
    /// </summary>
    public void Invalidate(string id)
    {
        if (Lifetime <= 0)
        {
            return;
        }
        var now = time.GetUtcNow().UtcTicks;
        if (_changed.Count >= 10_000)
        {
            foreach (var (key, until) in _changed)
            {
                if (until <= now)
                {
                    _changed.TryRemove(key, out _);
                }
            }
        }
        _changed[id] = now + 2 * Lifetime;
        _heads.TryRemove(id, out _);
    }
}
