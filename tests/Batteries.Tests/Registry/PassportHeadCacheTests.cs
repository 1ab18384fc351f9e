using Microsoft.Extensions.Options;
using Socle.Modules.Batteries;
using Socle.Modules.Batteries.Passports;
using Socle.Testing;

namespace Socle.Batteries.Tests.Registry;

/// <summary>The resolver's short memory of passport heads (public answers only).</summary>
public class PassportHeadCacheTests
{
    private static (PassportHeadCache Cache, FakeClock Clock) New(int milliseconds = 30_000)
    {
        var clock = new FakeClock();
        return (new PassportHeadCache(Options.Create(new BatteriesOptions { ResolverHeadMilliseconds = milliseconds }), clock), clock);
    }

    [Fact]
    public void A_head_is_kept_for_its_lifetime_and_no_longer()
    {
        var (cache, clock) = New();
        var head = new HeadKey("h1", "active", "op-1");
        cache.Set("urn:socle:a", head);
        Assert.True(cache.TryGet("urn:socle:a", out var got));
        Assert.Equal(head, got);
        clock.Advance(TimeSpan.FromMilliseconds(29_999));
        Assert.True(cache.TryGet("urn:socle:a", out _));
        clock.Advance(TimeSpan.FromMilliseconds(2));
        Assert.False(cache.TryGet("urn:socle:a", out _));
        Assert.False(cache.TryGet("urn:socle:b", out _));
    }

    [Fact]
    public void A_change_recorded_here_drops_the_head_and_keeps_an_old_read_out_until_it_is_surely_committed()
    {
        var (cache, clock) = New();
        cache.Set("urn:socle:a", new HeadKey("h1", "active", "op-1"));
        cache.Invalidate("urn:socle:a");
        Assert.False(cache.TryGet("urn:socle:a", out _));
        // a reader that read the old head before the writer committed must not put it back
        cache.Set("urn:socle:a", new HeadKey("h1", "active", "op-1"));
        Assert.False(cache.TryGet("urn:socle:a", out _));
        clock.Advance(TimeSpan.FromSeconds(61));
        cache.Set("urn:socle:a", new HeadKey("h2", "ended", "op-1"));
        Assert.True(cache.TryGet("urn:socle:a", out var got));
        Assert.Equal("h2", got.Hash);
    }

    [Fact]
    public void Zero_turns_it_off()
    {
        var (cache, _) = New(0);
        cache.Set("urn:socle:a", new HeadKey("h1", "active", "op-1"));
        Assert.False(cache.TryGet("urn:socle:a", out _));
    }
}
