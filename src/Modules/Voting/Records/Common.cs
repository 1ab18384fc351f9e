using System.Numerics;
using System.Text;
using System.Text.Json;
using Socle.Modules.Voting.Crypto;

namespace Socle.Modules.Voting.Records;

/// <summary>A Fiat–Shamir proof {challenge, response} (specification §Common structures).</summary>
public readonly record struct Proof(BigInteger Challenge, BigInteger Response)
{
    public void Write(StringBuilder sb) =>
        sb.Append("{\"challenge\":\"").AppendScalar(Challenge).Append("\",\"response\":\"").AppendScalar(Response).Append("\"}");

    public string ToJson()
    {
        var sb = new StringBuilder(170);
        Write(sb);
        return sb.ToString();
    }

    public static Proof Read(JsonElement e, string path, BigInteger q) =>
        new(e.Get("challenge", path).Scalar(path + ".challenge", q), e.Get("response", path).Scalar(path + ".response", q));

    public static void WriteArray(StringBuilder sb, IReadOnlyList<Proof> proofs)
    {
        sb.Append('[');
        for (var i = 0; i < proofs.Count; i++)
        {
            if (i > 0)
            {
                sb.Append(',');
            }
            proofs[i].Write(sb);
        }
        sb.Append(']');
    }
}

/// <summary>An ElGamal ciphertext {alpha, beta} = (g^r, y^r·g^m).</summary>
public sealed record Ciphertext(Element Alpha, Element Beta)
{
    public void Write(StringBuilder sb) =>
        sb.Append("{\"alpha\":\"").Append(Alpha.Encoded).Append("\",\"beta\":\"").Append(Beta.Encoded).Append("\"}");

    public static Ciphertext Read(JsonElement e, string path, Group group, bool checkMembership = true) =>
        new(e.Get("alpha", path).Element(path + ".alpha", group, checkMembership), e.Get("beta", path).Element(path + ".beta", group, checkMembership));

    public Ciphertext Multiply(Group group, Ciphertext other) => new(group.Multiply(Alpha, other.Alpha), group.Multiply(Beta, other.Beta));

    public Ciphertext Power(Group group, BigInteger k) => new(group.Power(Alpha, k), group.Power(Beta, k));

    public static Ciphertext Neutral(Group group) => new(group.Identity, group.Identity);
}

/// <summary>Helpers for the nested arrays of the formats (answers × choices).</summary>
internal static class Nested
{
    public static string Write<T>(IReadOnlyList<IReadOnlyList<T>> items, Action<StringBuilder, T> write)
    {
        var sb = new StringBuilder();
        sb.Append('[');
        for (var i = 0; i < items.Count; i++)
        {
            if (i > 0)
            {
                sb.Append(',');
            }
            sb.Append('[');
            for (var j = 0; j < items[i].Count; j++)
            {
                if (j > 0)
                {
                    sb.Append(',');
                }
                write(sb, items[i][j]);
            }
            sb.Append(']');
        }
        sb.Append(']');
        return sb.ToString();
    }
}
