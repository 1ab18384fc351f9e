using System.Numerics;

namespace Socle.Modules.Voting.Crypto;

/// <summary>One factor base^exponent of a commitment product.</summary>
internal readonly record struct Term(int Base, BigInteger Exponent);

/// <summary>
/// The hot path of verification, described independently of the group: the commitments a verifier must recompute
/// (A = g^response · α^challenge and the like), each a product of a few powers of g, of the election key y, or of
/// "variable" bases taken from the data being checked. A group evaluates a whole batch at once, so that it can share
/// work (one doubling chain per variable base for all its exponents, fixed-base tables for g and y, one field
/// inversion for all results) and check the membership of every variable base in bulk.
/// </summary>
internal sealed class CommitmentBatch
{
    /// <summary>The generator g.</summary>
    public const int G = -1;

    /// <summary>The evaluator's second fixed base (the election public key y).</summary>
    public const int Y = -2;

    public List<Element> Bases { get; } = [];

    public List<bool> CheckMembership { get; } = [];

    public List<Term> Terms { get; } = [];

    /// <summary>Product p is Terms[ProductEnds[p−1] .. ProductEnds[p]).</summary>
    public List<int> ProductEnds { get; } = [];

    public int ProductCount => ProductEnds.Count;

    public int AddBase(Element element, bool checkMembership)
    {
        Bases.Add(element);
        CheckMembership.Add(checkMembership);
        return Bases.Count - 1;
    }

    public int AddProduct(Term a)
    {
        Terms.Add(a);
        ProductEnds.Add(Terms.Count);
        return ProductEnds.Count - 1;
    }

    public int AddProduct(Term a, Term b)
    {
        Terms.Add(a);
        Terms.Add(b);
        ProductEnds.Add(Terms.Count);
        return ProductEnds.Count - 1;
    }

    public int AddProduct(Term a, Term b, Term c)
    {
        Terms.Add(a);
        Terms.Add(b);
        Terms.Add(c);
        ProductEnds.Add(Terms.Count);
        return ProductEnds.Count - 1;
    }

    /// <summary>Whether two batches have the same bases, membership checks, products and term bases (only exponents differ).</summary>
    public bool SameShape(CommitmentBatch other)
    {
        if (Bases.Count != other.Bases.Count || Terms.Count != other.Terms.Count || ProductEnds.Count != other.ProductEnds.Count)
        {
            return false;
        }
        for (var i = 0; i < CheckMembership.Count; i++)
        {
            if (CheckMembership[i] != other.CheckMembership[i])
            {
                return false;
            }
        }
        for (var i = 0; i < ProductEnds.Count; i++)
        {
            if (ProductEnds[i] != other.ProductEnds[i])
            {
                return false;
            }
        }
        for (var i = 0; i < Terms.Count; i++)
        {
            if (Terms[i].Base != other.Terms[i].Base)
            {
                return false;
            }
        }
        return true;
    }

    public void Clear()
    {
        Bases.Clear();
        CheckMembership.Clear();
        Terms.Clear();
        ProductEnds.Clear();
    }
}

/// <summary>Evaluates commitment batches for one group and one election key. Not thread-safe: one per worker.</summary>
internal interface ICommitmentEvaluator
{
    /// <summary>
    /// Fills <paramref name="encodings"/> with the encoding of each product. Returns false, with the index of the first
    /// variable base outside the group, when a membership check fails.
    /// </summary>
    bool Evaluate(CommitmentBatch batch, string[] encodings, out int failedBase);
}
