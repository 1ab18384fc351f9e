using System.Numerics;
using System.Runtime.InteropServices;

namespace Socle.Modules.Voting.Crypto.Native;

/// <summary>
/// The machine's GMP (libgmp.so.10) for modular exponentiation in the finite-field groups: <c>mpz_powm</c> for public
/// data (verification), <c>mpz_powm_sec</c> (constant time) for secrets. About ten times faster than
/// <see cref="BigInteger.ModPow"/> on 2048-bit moduli. When the library is absent, BigInteger is used.
/// </summary>
internal static unsafe partial class Gmp
{
    private const string Library = "libgmp.so.10";

    [StructLayout(LayoutKind.Sequential)]
    private struct Mpz
    {
        public int Alloc;
        public int Size;
        public nint Limbs;
    }

    private static readonly Lazy<bool> Loaded = new(() =>
    {
        if (Environment.GetEnvironmentVariable("SOCLE_VOTING_NO_NATIVE") == "1")
        {
            return false;
        }
        try
        {
            var result = ModPow(3, 5, 7, secret: false);
            return result == BigInteger.ModPow(3, 5, 7);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException)
        {
            return false;
        }
    });

    public static bool IsAvailable => Loaded.Value;

    [LibraryImport(Library, EntryPoint = "__gmpz_init")]
    private static partial void Init(Mpz* x);

    [LibraryImport(Library, EntryPoint = "__gmpz_clear")]
    private static partial void Clear(Mpz* x);

    [LibraryImport(Library, EntryPoint = "__gmpz_import")]
    private static partial void Import(Mpz* rop, nuint count, int order, nuint size, int endian, nuint nails, byte* op);

    [LibraryImport(Library, EntryPoint = "__gmpz_export")]
    private static partial byte* Export(byte* rop, nuint* countp, int order, nuint size, int endian, nuint nails, Mpz* op);

    [LibraryImport(Library, EntryPoint = "__gmpz_powm")]
    private static partial void PowM(Mpz* rop, Mpz* b, Mpz* e, Mpz* m);

    [LibraryImport(Library, EntryPoint = "__gmpz_powm_sec")]
    private static partial void PowMSec(Mpz* rop, Mpz* b, Mpz* e, Mpz* m);

    private static void Set(Mpz* z, BigInteger value)
    {
        var bytes = value.ToByteArray(isUnsigned: true, isBigEndian: true);
        fixed (byte* p = bytes)
        {
            Import(z, (nuint)bytes.Length, 1, 1, 1, 0, p);
        }
    }

    private static BigInteger Get(Mpz* z)
    {
        if (z->Size == 0)
        {
            return BigInteger.Zero;
        }
        var length = (z->Size < 0 ? -z->Size : z->Size) * 8;
        var buffer = new byte[length];
        nuint count;
        fixed (byte* p = buffer)
        {
            Export(p, &count, 1, 1, 1, 0, z);
        }
        return new BigInteger(buffer.AsSpan(0, (int)count), isUnsigned: true, isBigEndian: true);
    }

    /// <summary>b^e mod m for b, e ≥ 0 and odd m. With <paramref name="secret"/>, mpz_powm_sec (constant time, e &gt; 0).</summary>
    public static BigInteger ModPow(BigInteger b, BigInteger e, BigInteger m, bool secret)
    {
        Mpz rb, re, rm, rr;
        Init(&rb);
        Init(&re);
        Init(&rm);
        Init(&rr);
        try
        {
            Set(&rb, b);
            Set(&re, e);
            Set(&rm, m);
            if (secret && !e.IsZero)
            {
                PowMSec(&rr, &rb, &re, &rm);
            }
            else
            {
                PowM(&rr, &rb, &re, &rm);
            }
            return Get(&rr);
        }
        finally
        {
            Clear(&rb);
            Clear(&re);
            Clear(&rm);
            Clear(&rr);
        }
    }
}
