using System.Security.Cryptography;
using Socle.Modules.Loyalty.Members;

namespace Socle.Loyalty.Tests;

public class MemberCodeTests
{
    private static readonly byte[] Key = SHA256.HashData("a fixed test key"u8);
    private static readonly DateTimeOffset Now = new(2026, 5, 4, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Ordered_ids_sort_by_time_and_differ_within_one_millisecond()
    {
        var early = MemberCode.NewOrderedId("pur", Now);
        var later = MemberCode.NewOrderedId("pur", Now.AddMilliseconds(1));
        var sameMs = Enumerable.Range(0, 1000).Select(_ => MemberCode.NewOrderedId("pur", Now.AddMilliseconds(1))).ToList();
        Assert.Matches("^pur_[0-9a-hjkmnp-tv-z]{17}$", early);
        Assert.True(string.CompareOrdinal(early, later) < 0);
        Assert.All(sameMs, id => Assert.True(string.CompareOrdinal(early, id) < 0));
        Assert.Equal(1000, sameMs.Distinct().Count());
        // the time part is the Unix time in milliseconds: 2026-05-04T12:00:00Z = 1777896000000 ms
        Assert.Equal(1777896000000L, FromBase32(early[4..13]));
        Assert.True(string.CompareOrdinal(MemberCode.NewOrderedId("led", new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero))[4..13], early[4..13]) > 0);
    }

    private static long FromBase32(string digits) =>
        digits.Aggregate(0L, (n, c) => (n << 5) + "0123456789abcdefghjkmnpqrstvwxyz".IndexOf(c, StringComparison.Ordinal));

    [Fact]
    public void A_fresh_code_is_valid_and_names_its_member()
    {
        var code = MemberCode.Issue(Key, "mer_a", "mem_1", Now);
        Assert.Equal(MemberCode.Verdict.Valid, MemberCode.Verify(Key, "mer_a", code, Now.AddSeconds(20), out var parsed));
        Assert.Equal("mem_1", parsed!.MemberId);
        Assert.NotEqual(code, MemberCode.Issue(Key, "mer_a", "mem_1", Now)); // a fresh nonce each time
    }

    [Fact]
    public void Old_tampered_or_foreign_codes_are_refused()
    {
        var code = MemberCode.Issue(Key, "mer_a", "mem_1", Now);
        Assert.Equal(MemberCode.Verdict.Expired, MemberCode.Verify(Key, "mer_a", code, Now.AddSeconds(MemberCode.ValiditySeconds + 1), out _));
        Assert.Equal(MemberCode.Verdict.NotYetValid, MemberCode.Verify(Key, "mer_a", code, Now.AddMinutes(-1), out _));
        Assert.Equal(MemberCode.Verdict.BadSignature, MemberCode.Verify(Key, "mer_a", code.Replace("mem_1", "mem_2", StringComparison.Ordinal), Now, out _));
        Assert.Equal(MemberCode.Verdict.BadSignature, MemberCode.Verify(Key, "mer_b", code, Now, out _));
        Assert.Equal(MemberCode.Verdict.BadSignature, MemberCode.Verify(RandomNumberGenerator.GetBytes(32), "mer_a", code, Now, out _));
        Assert.Equal(MemberCode.Verdict.Malformed, MemberCode.Verify(Key, "mer_a", "hello", Now, out _));
    }

    [Fact]
    public void The_typed_code_is_a_time_based_one_time_password_for_the_member()
    {
        var typed = MemberCode.IssueTyped(Key, "mem_1", "K7P3QW2A", Now);
        Assert.True(MemberCode.TryParseTyped(typed, out var number, out var digits));
        Assert.Equal("K7P3QW2A", number);
        Assert.Equal(MemberCode.Verdict.Valid, MemberCode.VerifyTyped(Key, "mem_1", digits, Now.AddSeconds(45), out _));
        Assert.Equal(MemberCode.Verdict.Expired, MemberCode.VerifyTyped(Key, "mem_1", digits, Now.AddMinutes(5), out _));
        Assert.Equal(MemberCode.Verdict.BadSignature, MemberCode.VerifyTyped(Key, "mem_2", digits, Now, out _));
    }
}
