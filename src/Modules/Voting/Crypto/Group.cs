using System.Numerics;

namespace Socle.Modules.Voting.Crypto;

/// <summary>An element of a <see cref="Group"/>. Immutable; its Belenios string form is computed once.</summary>
public abstract class Element
{
    private string? _encoded;

    internal abstract string ComputeEncoding();

    /// <summary>The element as Belenios writes it: decimal for finite fields, 64 hex digits for Ed25519.</summary>
    public string Encoded => _encoded ??= ComputeEncoding();

    internal void SetEncoding(string encoded) => _encoded ??= encoded;

    public override string ToString() => Encoded;
}

/// <summary>
/// A prime-order group as the Belenios specification uses it (§Groups): generator g of order q, multiplicative
/// notation, elements serialised as strings. Two implementations: <see cref="Ed25519Group"/> and
/// <see cref="FiniteFieldGroup"/> (BELENIOS-2048, RFC-3526-2048).
/// </summary>
public abstract class Group
{
    /// <summary>The group's name as written in <c>election.json</c>: <c>Ed25519</c>, <c>BELENIOS-2048</c>, <c>RFC-3526-2048</c>.</summary>
    public abstract string Name { get; }

    /// <summary>q, the order of g.</summary>
    public abstract BigInteger Order { get; }

    public abstract Element Generator { get; }

    public abstract Element Identity { get; }

    /// <summary>
    /// Reads an element received from outside: the string must be the canonical encoding and, unless
    /// <paramref name="checkMembership"/> is false (the caller checks membership itself, in bulk), a member of the group.
    /// </summary>
    public abstract bool TryParse(string text, bool checkMembership, out Element element, out string reason);

    public Element Parse(string text) =>
        TryParse(text, checkMembership: true, out var e, out var reason) ? e : throw new FormatException($"{Name} element '{Shorten(text)}': {reason}");

    /// <summary>Whether an element parsed without the membership check is in the group.</summary>
    public abstract bool IsMember(Element element);

    /// <summary>Membership of many elements (parsed without the check), as fast as the group allows.</summary>
    public virtual bool[] AreMembers(IReadOnlyList<Element> elements) => elements.Select(IsMember).ToArray();

    public abstract Element Multiply(Element a, Element b);

    public abstract Element Invert(Element a);

    public Element Divide(Element a, Element b) => Multiply(a, Invert(b));

    /// <summary>a^k for public a and k (variable time).</summary>
    public abstract Element Power(Element a, BigInteger k);

    /// <summary>a^k when k is secret: constant time (libsodium, GMP powm_sec, or the managed constant-time ladder).</summary>
    public abstract Element PowerSecret(Element a, BigInteger k);

    /// <summary>g^k for secret k (constant time).</summary>
    public virtual Element GeneratorPowerSecret(BigInteger k) => PowerSecret(Generator, k);

    public abstract bool AreEqual(Element a, Element b);

    /// <summary>An evaluator of commitment products for the hot verification path, with <paramref name="publicKey"/> as a second fixed base.</summary>
    internal abstract ICommitmentEvaluator CreateEvaluator(Element publicKey);

    /// <summary>
    /// An engine that evaluates eight same-shaped batches at once (SIMD), or null when the group or the processor has
    /// none; callers then use <see cref="CreateEvaluator"/> batch by batch.
    /// </summary>
    internal virtual Ed25519.Simd.LaneEvaluator? CreateLaneEvaluator(Element publicKey) => null;

    /// <summary>A number that identifies an element, for baby-step giant-step tables.</summary>
    internal virtual string Key(Element a) => a.Encoded;

    public Element Product(IEnumerable<Element> elements)
    {
        var r = Identity;
        foreach (var e in elements)
        {
            r = Multiply(r, e);
        }
        return r;
    }

    /// <summary>g^k for small public k (results, plaintexts).</summary>
    public Element GeneratorPower(BigInteger k) => k.IsZero ? Identity : Power(Generator, Zq.Reduce(k, Order));

    private static string Shorten(string s) => s.Length > 24 ? s[..24] + "…" : s;

    public override string ToString() => Name;
}

/// <summary>The groups Socle knows, by the name written in <c>election.json</c>.</summary>
public static class Groups
{
    public static Group Ed25519 => Ed25519Group.Instance;

    public static Group Belenios2048 => FiniteFieldGroup.Belenios2048;

    public static Group Rfc3526 => FiniteFieldGroup.Rfc3526_2048;

    public static IReadOnlyList<string> Names { get; } = ["Ed25519", "BELENIOS-2048", "RFC-3526-2048"];

    public static bool TryGet(string name, out Group group)
    {
        group = name switch
        {
            "Ed25519" => Ed25519,
            "BELENIOS-2048" => Belenios2048,
            "RFC-3526-2048" => Rfc3526,
            _ => null!,
        };
        return group is not null;
    }

    public static Group Get(string name) =>
        TryGet(name, out var g) ? g : throw new ArgumentException($"unknown group '{name}'; known: {string.Join(", ", Names)}", nameof(name));
}
