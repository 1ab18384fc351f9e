using System.Numerics;
using Socle.Modules.Voting.Crypto;
using Socle.Modules.Voting.Crypto.Ed25519.Simd;
using Socle.Modules.Voting.Crypto.Native;

namespace Socle.Voting.Tests;

/// <summary>
/// The native libraries (libsodium, GMP) and the managed fallbacks give the same answers, and the verification engine
/// agrees with plain exponentiation.
/// </summary>
[Collection(nameof(BackendSwitching))]
public class BackendTests
{
    [Fact]
    public void The_native_libraries_are_present_on_this_machine()
    {
        // test.sh runs where libsodium23 and libgmp10 are installed: the fast paths must be the ones tested here.
        Assert.True(Sodium.IsAvailable, "libsodium.so.23 could not be loaded");
        Assert.True(Gmp.IsAvailable, "libgmp.so.10 could not be loaded");
    }

    [Fact]
    public void Libsodium_and_the_managed_Ed25519_agree()
    {
        var group = Ed25519Group.Instance;
        var q = group.Order;
        for (var i = 0; i < 40; i++)
        {
            var k = i switch { 0 => BigInteger.One, 1 => q - 1, 2 => q - 2, _ => Zq.Random(q) };
            var p = group.Power(group.Generator, Zq.RandomNonZero(q));
            var native = (group.GeneratorPowerSecret(k), group.PowerSecret(p, k));
            group.ForceManaged = true;
            try
            {
                var managed = (group.GeneratorPowerSecret(k), group.PowerSecret(p, k));
                Assert.Equal(native.Item1.Encoded, managed.Item1.Encoded);
                Assert.Equal(native.Item2.Encoded, managed.Item2.Encoded);
                // and both equal the variable-time public path
                Assert.Equal(group.Power(p, k).Encoded, managed.Item2.Encoded);
            }
            finally
            {
                group.ForceManaged = false;
            }
        }
        Assert.Equal(group.Identity.Encoded, group.PowerSecret(group.Generator, 0).Encoded);
        Assert.Equal(group.Identity.Encoded, group.PowerSecret(group.Generator, q).Encoded);
    }

    [Fact]
    public void Gmp_and_BigInteger_agree()
    {
        foreach (var group in new[] { FiniteFieldGroup.Belenios2048, FiniteFieldGroup.Rfc3526_2048 })
        {
            for (var i = 0; i < 10; i++)
            {
                var k = Zq.Random(group.Order);
                var b = group.Power(group.Generator, Zq.Random(group.Order));
                var native = (group.Power(b, k).Encoded, group.PowerSecret(b, k).Encoded);
                group.ForceManaged = true;
                try
                {
                    Assert.Equal(native.Item1, group.Power(b, k).Encoded);
                    Assert.Equal(native.Item2, group.PowerSecret(b, k).Encoded);
                    Assert.Equal(native.Item1, native.Item2);
                }
                finally
                {
                    group.ForceManaged = false;
                }
            }
        }
    }

    [Theory]
    [InlineData("Ed25519")]
    [InlineData("BELENIOS-2048")]
    public void The_commitment_engine_matches_plain_exponentiation(string name)
    {
        var group = Groups.Get(name);
        var q = group.Order;
        var y = group.Power(group.Generator, Zq.Random(q));
        var batch = new CommitmentBatch();
        var bases = Enumerable.Range(0, 4).Select(_ => group.Power(group.Generator, Zq.Random(q))).ToArray();
        var index = bases.Select(b => batch.AddBase(b, checkMembership: true)).ToArray();
        var expected = new List<Element>();
        for (var i = 0; i < 12; i++)
        {
            var (a, b, c) = (Zq.Random(q), Zq.Random(q), i == 0 ? BigInteger.Zero : Zq.Random(q));
            var v = i % bases.Length;
            batch.AddProduct(new Term(CommitmentBatch.G, a), new Term(index[v], b), new Term(CommitmentBatch.Y, c));
            expected.Add(group.Multiply(group.Multiply(group.Power(group.Generator, a), group.Power(bases[v], b)), group.Power(y, c)));
        }
        batch.AddProduct(new Term(index[0], BigInteger.Zero));
        expected.Add(group.Identity);
        var encodings = new string[batch.ProductCount];
        Assert.True(group.CreateEvaluator(y).Evaluate(batch, encodings, out _));
        Assert.Equal(expected.Select(e => e.Encoded), encodings);
    }

    [Fact]
    public void Without_the_lane_engine_the_reference_boards_verify_the_same_way()
    {
        Ed25519Group.LanesEnabled = false;
        try
        {
            var report = Socle.Modules.Voting.Verification.BoardVerifier.VerifyPath(ReferenceElections.Folder(ReferenceElections.Ed25519));
            Assert.True(report.Ok, report.Problem?.ToString());
            var editor = new BoardEditor(ReferenceElections.Board(ReferenceElections.Ed25519));
            var step = editor.Ballots.ElementAt(6);
            step.Payload = BoardEditor.FlipDigit(step.Payload, "challenge", occurrence: 3);
            var tampered = Socle.Modules.Voting.Verification.BoardVerifier.Verify(new MemoryStream(editor.Rechain()));
            Assert.Equal("ballot_proof_invalid", tampered.Problem!.Code);
            Assert.Equal(7, tampered.Problem.Height);
        }
        finally
        {
            Ed25519Group.LanesEnabled = Socle.Modules.Voting.Crypto.Ed25519.Simd.LaneEvaluator.IsSupported;
        }
    }

    [Fact]
    public void The_eight_lane_engine_matches_the_scalar_engine()
    {
        Assert.True(Socle.Modules.Voting.Crypto.Ed25519.Simd.LaneEvaluator.IsSupported, "this machine has AVX-512: the lane engine must be the one tested");
        var group = Groups.Ed25519;
        var q = group.Order;
        var y = group.Power(group.Generator, Zq.Random(q));
        var lanes = group.CreateLaneEvaluator(y)!;
        var scalar = group.CreateEvaluator(y);
        foreach (var count in new[] { 8, 5, 1 })
        {
            var batches = new List<CommitmentBatch>();
            for (var l = 0; l < count; l++)
            {
                var batch = new CommitmentBatch();
                for (var b = 0; b < 3; b++)
                {
                    batch.AddBase(group.Power(group.Generator, Zq.Random(q)), checkMembership: b != 2);
                }
                // Exponents: random, zero, small, q−1 (all digits high), the same in every lane for one term.
                BigInteger[] special = [Zq.Random(q), BigInteger.Zero, 7, q - 1, 123456789];
                batch.AddProduct(new Term(CommitmentBatch.G, special[l % 5]), new Term(0, Zq.Random(q)));
                batch.AddProduct(new Term(CommitmentBatch.Y, Zq.Random(q)), new Term(1, special[(l + 1) % 5]), new Term(CommitmentBatch.G, q - 5));
                batch.AddProduct(new Term(2, 42), new Term(0, special[(l + 3) % 5]));
                batches.Add(batch);
            }
            var fromLanes = batches.Select(b => new string[b.ProductCount]).ToList();
            var failed = new int[count];
            lanes.Evaluate(batches, fromLanes, failed);
            for (var l = 0; l < count; l++)
            {
                var expected = new string[batches[l].ProductCount];
                Assert.True(scalar.Evaluate(batches[l], expected, out _));
                Assert.Equal(-1, failed[l]);
                Assert.Equal(expected, fromLanes[l]);
            }
        }
    }

    [Fact]
    public void Points_decoded_eight_at_a_time_are_those_decoded_one_by_one()
    {
        // Valid points, and every way an encoding can fail: y ≥ p (non-canonical), no x for this y, x = 0 with the
        // sign bit set. Mixed in batches that fill the eight lanes, leave some empty, and take several rounds.
        var random = new Random(5);
        var encodings = new List<byte[]>();
        for (var n = 0; n < 40; n++)
        {
            var b = new byte[32];
            switch (n % 5)
            {
                case 0:
                case 1:
                    var p = Socle.Modules.Voting.Crypto.Ed25519Group.P(Groups.Ed25519.Power(Groups.Ed25519.Generator, Zq.Random(Groups.Ed25519.Order)));
                    p.Encode(b);
                    break;
                case 2:
                    random.NextBytes(b); // about half of random y have no x
                    break;
                case 3:
                    b.AsSpan().Fill(0xFF);
                    b[0] = (byte)(0xED + random.Next(0x12)); // y = p + k: not canonical
                    b[31] = 0x7F;
                    break;
                default:
                    b[0] = 1;
                    b[31] = 0x80; // y = 1, x = 0, sign bit set
                    break;
            }
            encodings.Add(b);
        }
        foreach (var size in new[] { 1, 3, 8, 13, 40 })
        {
            var batch = encodings.Take(size).SelectMany(e => e).ToArray();
            var points = new Socle.Modules.Voting.Crypto.Ed25519.EdPoint[size];
            var valid = new bool[size];
            Socle.Modules.Voting.Crypto.Ed25519.EdPoint.TryDecodeMany(batch, points, valid);
            for (var i = 0; i < size; i++)
            {
                var one = Socle.Modules.Voting.Crypto.Ed25519.EdPoint.TryDecode(encodings[i], out var expected);
                Assert.Equal(one, valid[i]);
                if (one)
                {
                    Assert.True(Socle.Modules.Voting.Crypto.Ed25519.EdPoint.AreEqual(expected, points[i]));
                }
            }
        }
        Assert.Contains(encodings, e => !Socle.Modules.Voting.Crypto.Ed25519.EdPoint.TryDecode(e, out _));
        Assert.Contains(encodings, e => Socle.Modules.Voting.Crypto.Ed25519.EdPoint.TryDecode(e, out _));
    }

    [Fact]
    public void Signed_digits_of_every_window_rebuild_the_scalar()
    {
        // w = 8 (the fixed-base tables) has its own byte-wise loop: runs of 0xFF bytes make the carry ripple.
        var random = new Random(11);
        var scalars = new List<byte[]> { new byte[32], Enumerable.Repeat((byte)0x7F, 32).ToArray(), Enumerable.Repeat((byte)0xFF, 31).Append((byte)0x7F).ToArray() };
        for (var n = 0; n < 200; n++)
        {
            var s = new byte[32];
            random.NextBytes(s);
            s[31] &= 0x7F;
            if (n % 3 == 0)
            {
                s.AsSpan(random.Next(20), 8).Fill(0xFF);
            }
            scalars.Add(s);
        }
        foreach (var window in new[] { 4, 5, 8 })
        {
            var digits = new short[(256 / window) + 2];
            foreach (var s in scalars)
            {
                Socle.Modules.Voting.Crypto.Ed25519.FixedBaseTable.SignedDigits(s, window, digits);
                var value = digits.Select((d, i) => new BigInteger(d) << (window * i)).Aggregate(BigInteger.Zero, (a, b) => a + b);
                Assert.Equal(new BigInteger(s, isUnsigned: true), value);
                Assert.All(digits, d => Assert.InRange(d, -(1 << (window - 1)), (1 << (window - 1)) - 1));
            }
        }
    }

    [Fact]
    public void Lazy_sums_and_differences_at_their_largest_limbs_multiply_exactly()
    {
        // The 8-lane field skips the carry after a sum or a difference that only feeds a product. Its bounds are
        // tight (19 · 3·2^26 < 2^32): operands whose limbs are all at the largest carried values, and their lazy sums
        // and differences, must still multiply and square exactly (against BigInteger arithmetic modulo p).
        var p = (BigInteger.One << 255) - 19;
        int[] offsets = [0, 26, 51, 77, 102, 128, 153, 179, 204, 230];
        BigInteger Value(in Fe8 f, int lane)
        {
            ulong[] limbs = [f.F0[lane], f.F1[lane], f.F2[lane], f.F3[lane], f.F4[lane], f.F5[lane], f.F6[lane], f.F7[lane], f.F8[lane], f.F9[lane]];
            return limbs.Select((l, i) => new BigInteger(l) << offsets[i]).Aggregate(BigInteger.Zero, (a, b) => a + b) % p;
        }
        BigInteger Lane(in Fe8 f, int lane)
        {
            Span<byte> bytes = stackalloc byte[32];
            f.GetLane(lane).ToBytes(bytes);
            return new BigInteger(bytes, isUnsigned: true);
        }
        // Lane 0: every limb at its carried maximum (2^26 even, 2^25 + 2^18 odd); lane 1: zero; others: random carried.
        var random = new Random(7);
        Fe8 Make()
        {
            var f = default(Fe8);
            var limbs = new System.Runtime.Intrinsics.Vector512<ulong>[10];
            for (var i = 0; i < 10; i++)
            {
                var max = i % 2 == 0 ? 1UL << 26 : (1UL << 25) + (1UL << 18);
                var lanes = new ulong[8];
                for (var l = 0; l < 8; l++)
                {
                    lanes[l] = l == 0 ? max : l == 1 ? 0 : (ulong)random.NextInt64((long)max + 1);
                }
                limbs[i] = System.Runtime.Intrinsics.Vector512.Create(lanes);
            }
            (f.F0, f.F1, f.F2, f.F3, f.F4, f.F5, f.F6, f.F7, f.F8, f.F9) = (limbs[0], limbs[1], limbs[2], limbs[3], limbs[4], limbs[5], limbs[6], limbs[7], limbs[8], limbs[9]);
            return f;
        }
        var a = Make();
        var b = Make();
        var zero = default(Fe8);
        var sum = Fe8.AddLazy(a, b);
        var difference = Fe8.SubLazy(a, zero); // a + 2p: the largest difference
        var negated = Fe8.NegateLazy(b);
        var products = new[]
        {
            (Fe8.Mul(difference, difference), Value(difference, 0) * Value(difference, 0)),
            (Fe8.Mul(sum, difference), Value(sum, 0) * Value(difference, 0)),
            (Fe8.Square(difference), Value(difference, 0) * Value(difference, 0)),
            (Fe8.Square(sum), Value(sum, 0) * Value(sum, 0)),
            (Fe8.Mul(negated, a), (p - Value(b, 0)) * Value(a, 0)),
        };
        foreach (var (product, expected) in products)
        {
            Assert.Equal(expected % p, Lane(product, 0));
        }
        for (var l = 1; l < 8; l++)
        {
            var d = Fe8.SubLazy(a, b);
            Assert.Equal(((Value(a, l) - Value(b, l)) * Value(sum, l) % p + p) % p, Lane(Fe8.Mul(d, sum), l));
        }
    }

    [Fact]
    public void The_eight_lane_engine_finds_the_one_lane_whose_base_is_outside_the_group()
    {
        var group = Groups.Ed25519;
        var p = (BigInteger.One << 255) - 19;
        var bytes = (p - 1).ToByteArray(isUnsigned: true, isBigEndian: false);
        Assert.True(group.TryParse(Convert.ToHexStringLower(bytes.Concat(new byte[32 - bytes.Length]).Reverse().ToArray()), false, out var order2, out _));
        var batches = Enumerable.Range(0, 8).Select(l =>
        {
            var batch = new CommitmentBatch();
            var point = group.Power(group.Generator, 1000 + l);
            batch.AddBase(point, true);
            batch.AddBase(l == 5 ? group.Multiply(point, order2) : point, true);
            batch.AddProduct(new Term(1, 3));
            return batch;
        }).ToList();
        var failed = new int[8];
        group.CreateLaneEvaluator(group.Generator)!.Evaluate(batches, batches.Select(b => new string[1]).ToList(), failed);
        Assert.Equal([-1, -1, -1, -1, -1, 1, -1, -1], failed);
    }

    [Fact]
    public void The_commitment_engine_rejects_a_base_outside_the_group()
    {
        var group = Groups.Ed25519;
        var p = (BigInteger.One << 255) - 19;
        var bytes = (p - 1).ToByteArray(isUnsigned: true, isBigEndian: false);
        Assert.True(group.TryParse(Convert.ToHexStringLower(bytes.Concat(new byte[32 - bytes.Length]).Reverse().ToArray()), false, out var order2, out _));
        var batch = new CommitmentBatch();
        batch.AddBase(group.Generator, true);
        var bad = batch.AddBase(group.Multiply(group.Generator, order2), true);
        batch.AddProduct(new Term(bad, 5));
        Assert.False(group.CreateEvaluator(group.Generator).Evaluate(batch, new string[1], out var failed));
        Assert.Equal(bad, failed);
    }
}

[CollectionDefinition(nameof(BackendSwitching), DisableParallelization = true)]
public sealed class BackendSwitching;
