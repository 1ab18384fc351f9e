using System.Numerics;
using Regex = System.Text.RegularExpressions.Regex;
using Socle.Modules.Voting.Crypto;
using Socle.Modules.Voting.Records;

namespace Socle.Modules.Voting.Elections;

/// <summary>A voter's private credential with its secret exponent s and public credential g^s.</summary>
public sealed record VoterCredential(string VoterId, string Private, BigInteger Secret, Element Public, BigInteger? Weight);

/// <summary>
/// Credentials (specification §Credentials): a private credential is 22 Base58 characters written
/// XXXXX-XXXXXX-XXXXX-XXXXXX; its secret is s = (SHA256("derive_credential|uuid|0|c") ‖ SHA256("…|1|c")) mod q, read as
/// a 512-bit hexadecimal number; the public credential is g^s. The credential authority gives each voter her private
/// credential and publishes only the sorted public list; the server never sees a private credential.
/// </summary>
public static partial class Credentials
{
    [System.Text.RegularExpressions.GeneratedRegex("^[1-9A-HJ-NP-Za-km-z]{5}-[1-9A-HJ-NP-Za-km-z]{6}-[1-9A-HJ-NP-Za-km-z]{5}-[1-9A-HJ-NP-Za-km-z]{6}$")]
    private static partial Regex FullCredential();

    public static bool IsWellFormed(string credential) => FullCredential().IsMatch(credential);

    public static string NewPrivate()
    {
        var raw = Base58.RandomToken(22);
        return $"{raw[..5]}-{raw[5..11]}-{raw[11..16]}-{raw[16..22]}";
    }

    /// <summary>s = secret(c) for election <paramref name="uuid"/>.</summary>
    public static BigInteger DeriveSecret(string uuid, string credential, Group group)
    {
        if (!IsWellFormed(credential))
        {
            throw new ArgumentException("a private credential is 22 Base58 characters written XXXXX-XXXXXX-XXXXX-XXXXXX", nameof(credential));
        }
        var x0 = Hashing.Sha256Hex($"derive_credential|{uuid}|0|{credential}");
        var x1 = Hashing.Sha256Hex($"derive_credential|{uuid}|1|{credential}");
        var x = BigInteger.Parse("0" + x0 + x1, System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture);
        return Zq.Reduce(x, group.Order);
    }

    public static Element DerivePublic(string uuid, string credential, Group group) =>
        group.GeneratorPowerSecret(DeriveSecret(uuid, credential, group));

    /// <summary>Generates one credential per voter (voter ids, optionally with weights) for an election.</summary>
    public static IReadOnlyList<VoterCredential> Generate(string uuid, Group group, IReadOnlyList<(string VoterId, BigInteger? Weight)> voters)
    {
        var result = new VoterCredential[voters.Count];
        Parallel.For(0, voters.Count, i =>
        {
            var c = NewPrivate();
            var s = DeriveSecret(uuid, c, group);
            result[i] = new VoterCredential(voters[i].VoterId, c, s, group.GeneratorPowerSecret(s), voters[i].Weight);
        });
        return result;
    }

    /// <summary>The public list for the board (sorted, without voter ids), as Belenios publishes it.</summary>
    public static string BoardJson(IEnumerable<VoterCredential> credentials) =>
        PublicCredentials.ToBoardJson(credentials.Select(c => new PublicCredential(c.Public, c.Weight, null)));

    /// <summary>The public list with voter ids ("cred,weight,id"), kept by the credential authority and the administrator.</summary>
    public static string WithIdsJson(IEnumerable<VoterCredential> credentials) =>
        Json.Strings(credentials.Select(c => new PublicCredential(c.Public, c.Weight, c.VoterId).ToStringWithId()).Order(StringComparer.Ordinal));
}
