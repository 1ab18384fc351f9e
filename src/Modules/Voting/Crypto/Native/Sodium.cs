using System.Runtime.InteropServices;

namespace Socle.Modules.Voting.Crypto.Native;

/// <summary>
/// The machine's libsodium (libsodium.so.23), used for the secret-dependent Ed25519 operations (ballot encryption,
/// proofs, signatures, key generation, partial decryption): its scalar multiplications run in constant time.
/// When the library is absent, <see cref="IsAvailable"/> is false and the managed implementation is used instead.
/// </summary>
internal static partial class Sodium
{
    private const string Library = "libsodium.so.23";

    private static readonly Lazy<bool> Loaded = new(() =>
    {
        if (Environment.GetEnvironmentVariable("SOCLE_VOTING_NO_NATIVE") == "1")
        {
            return false;
        }
        try
        {
            return sodium_init() >= 0;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException)
        {
            return false;
        }
    });

    public static bool IsAvailable => Loaded.Value;

    [LibraryImport(Library)]
    private static partial int sodium_init();

    /// <summary>q = n·p for p on the main subgroup; −1 when p is invalid or the result is the identity.</summary>
    [LibraryImport(Library)]
    public static unsafe partial int crypto_scalarmult_ed25519_noclamp(byte* q, byte* n, byte* p);

    /// <summary>q = n·g; −1 when the result is the identity.</summary>
    [LibraryImport(Library)]
    public static unsafe partial int crypto_scalarmult_ed25519_base_noclamp(byte* q, byte* n);

    [LibraryImport(Library)]
    public static unsafe partial int crypto_core_ed25519_add(byte* r, byte* p, byte* q);

    [LibraryImport(Library)]
    public static unsafe partial int crypto_core_ed25519_is_valid_point(byte* p);
}
