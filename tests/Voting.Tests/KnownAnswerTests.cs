using System.Globalization;
using System.Numerics;
using System.Security.Cryptography;
using Socle.Modules.Voting.Crypto;
using Socle.Modules.Voting.Records;

namespace Socle.Voting.Tests;

/// <summary>Published test vectors: SHA-256 (FIPS 180-2), Ed25519 points (RFC 8032 §7.1), the RFC 3526 group, Belenios' own data.</summary>
public class KnownAnswerTests
{
    [Theory]
    [InlineData("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")]
    [InlineData("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")]
    [InlineData("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")]
    public void Sha256_matches_FIPS_180_2(string message, string expected) => Assert.Equal(expected, Hashing.Sha256Hex(message));

    [Fact]
    public void The_Belenios_fingerprint_of_an_election_is_its_SHA256_in_compact_Base64()
    {
        // The ballots of the reference election carry this election_hash, written by Belenios.
        var election = ElectionRecord.Parse(ReferenceElections.Read(ReferenceElections.Ed25519, "election.json"));
        Assert.Equal("kBIBySvtGDlPGwFboWBZYmHCreHXIwTYANXgC1ivIxM", election.Fingerprint);
        Assert.Equal("901201c92bed18394f1b015ba160596261c2ade1d72304d800d5e00b58af2313", election.HashHex);
    }

    [Theory]
    // RFC 8032 §7.1, TEST 1, 2, 3 and 1024: public key A = [s]B, s the clamped first half of SHA-512(secret).
    [InlineData("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60", "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a")]
    [InlineData("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb", "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c")]
    [InlineData("c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7", "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025")]
    [InlineData("f5e5767cf153319517630f226876b86c8160cc583bc013744c6bf255f5cc0ee5", "278117fc144c72340f67d0f2316e8386ceffbf2b2428c9c51fef7c597f1d426e")]
    public void Ed25519_public_keys_match_RFC_8032(string secretHex, string publicHex)
    {
        var h = SHA512.HashData(Convert.FromHexString(secretHex));
        h[0] &= 248;
        h[31] &= 127;
        h[31] |= 64;
        var s = new BigInteger(h.AsSpan(0, 32), isUnsigned: true, isBigEndian: false);
        var group = Groups.Ed25519;
        // Belenios writes the RFC 8032 encoding byte-reversed, in hexadecimal.
        var expected = Convert.ToHexStringLower(Convert.FromHexString(publicHex).Reverse().ToArray());
        Assert.Equal(expected, group.Power(group.Generator, s).Encoded);
        Assert.Equal(expected, group.GeneratorPowerSecret(s).Encoded);
        Assert.True(group.TryParse(expected, true, out var parsed, out _));
        Assert.True(group.AreEqual(parsed, group.GeneratorPowerSecret(s)));
    }

    [Fact]
    public void The_Ed25519_base_point_is_y_equal_4_over_5_with_x_even()
    {
        // RFC 8032 §5.1: B encodes as 5866…66; Belenios writes it byte-reversed.
        Assert.Equal("6666666666666666666666666666666666666666666666666666666666666658", Groups.Ed25519.Generator.Encoded);
        var q = BigInteger.Parse("7237005577332262213973186563042994240857116359379907606001950938285454250989", CultureInfo.InvariantCulture);
        Assert.Equal(q, Groups.Ed25519.Order);
        Assert.True(Groups.Ed25519.AreEqual(Groups.Ed25519.Identity, Groups.Ed25519.Power(Groups.Ed25519.Generator, q)));
    }

    [Theory]
    [InlineData("0000000000000000000000000000000000000000000000000000000000000000", "subgroup")] // y = 0: (√−1, 0) has order 4
    [InlineData("ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", "canonical")] // y ≥ p
    [InlineData("6666666666666666666666666666666666666666666666666666666666666658a", "64 lowercase")]
    [InlineData("666666666666666666666666666666666666666666666666666666666666665A", "64 lowercase")]
    public void Ed25519_rejects_malformed_or_non_canonical_elements(string text, string reason)
    {
        Assert.False(Groups.Ed25519.TryParse(text, true, out _, out var why));
        Assert.Contains(reason, why);
    }

    [Fact]
    public void Ed25519_rejects_points_outside_the_prime_order_subgroup()
    {
        // (0, −1) has order 2: y = p − 1, x = 0; it is on the curve but not in the group.
        var p = (BigInteger.One << 255) - 19;
        var bytes = (p - 1).ToByteArray(isUnsigned: true, isBigEndian: false);
        var text = Convert.ToHexStringLower(bytes.Concat(new byte[32 - bytes.Length]).Reverse().ToArray());
        Assert.True(Groups.Ed25519.TryParse(text, checkMembership: false, out _, out _));
        Assert.False(Groups.Ed25519.TryParse(text, checkMembership: true, out _, out var why));
        Assert.Contains("subgroup", why);
        // And a subgroup point plus a torsion point is refused too.
        Assert.True(Groups.Ed25519.TryParse(text, false, out var torsion, out _));
        var mixed = Groups.Ed25519.Multiply(Groups.Ed25519.Generator, torsion);
        Assert.False(Groups.Ed25519.TryParse(mixed.Encoded, true, out _, out _));
    }

    [Fact]
    public void The_RFC_3526_group_is_the_published_2048_bit_MODP_prime()
    {
        const string Hex = "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD" +
            "EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED" +
            "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F" +
            "83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B" +
            "E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA0510" +
            "15728E5A8AACAA68FFFFFFFFFFFFFFFF";
        var p = BigInteger.Parse("0" + Hex, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        Assert.Equal(p, FiniteFieldGroup.Rfc3526_2048.Modulus);
        Assert.Equal("2", FiniteFieldGroup.Rfc3526_2048.Generator.Encoded);
    }

    [Fact]
    public void BELENIOS_2048_has_a_256_bit_prime_order_subgroup_generated_by_g()
    {
        var g = FiniteFieldGroup.Belenios2048;
        Assert.Equal(2048, g.Modulus.GetBitLength());
        Assert.Equal(256, g.Order.GetBitLength());
        Assert.Equal(BigInteger.Zero, (g.Modulus - 1) % g.Order);
        Assert.True(g.IsMember(g.Generator));
        Assert.False(g.AreEqual(g.Generator, g.Identity));
        Assert.False(g.TryParse("0", true, out _, out _));
        Assert.False(g.TryParse(g.Modulus.ToString(CultureInfo.InvariantCulture), true, out _, out _));
        Assert.False(g.TryParse("007", true, out _, out var why));
        Assert.Contains("leading zero", why);
        // p − 1 has order 2: in F_p* but not in the subgroup.
        Assert.False(g.TryParse((g.Modulus - 1).ToString(CultureInfo.InvariantCulture), true, out _, out why));
        Assert.Contains("subgroup", why);
    }

    [Fact]
    public void Belenios_trustee_keys_and_their_proofs_verify_with_our_hash()
    {
        foreach (var name in new[] { ReferenceElections.Ed25519, ReferenceElections.Belenios2048 })
        {
            var election = ElectionRecord.Parse(ReferenceElections.Read(name, "election.json"));
            var trustees = TrusteesRecord.Parse(ReferenceElections.Read(name, "trustees.json"), election.Group);
            Assert.All(trustees.OwnerKeys, k => Assert.True(Socle.Modules.Voting.Elections.TrusteeKeys.CheckSingle(election.Group, k)));
        }
    }

    [Fact]
    public void Credentials_derive_to_the_public_credentials_Belenios_published()
    {
        foreach (var name in new[] { ReferenceElections.Ed25519, ReferenceElections.Belenios2048 })
        {
            var election = ElectionRecord.Parse(ReferenceElections.Read(name, "election.json"));
            var published = PublicCredentials.Parse(ReferenceElections.Read(name, "public_creds.json"), election.Group)
                .Items.Select(c => c.Credential.Encoded).ToHashSet();
            foreach (var (_, credential, _) in ReferenceElections.Choices(name).Take(10))
            {
                var mine = Socle.Modules.Voting.Elections.Credentials.DerivePublic(election.Uuid, credential, election.Group);
                Assert.Contains(mine.Encoded, published);
            }
        }
    }
}
