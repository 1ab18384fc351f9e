using System.ComponentModel.DataAnnotations;

namespace Socle.Modules.Batteries;

/// <summary>Section <c>Socle:Batteries</c>.</summary>
public sealed class BatteriesOptions : IValidatableObject
{
    public const string Section = "Socle:Batteries";

    /// <summary>The public address the QR codes point to (the resolver): <c>{PublicBaseUrl}/batteries/p/{passport}</c>.</summary>
    [Required]
    public string PublicBaseUrl { get; set; } = "http://localhost:5080";

    /// <summary>The URN namespace of passport identifiers Socle issues: <c>urn:{namespace}:{32 hex digits}</c>
    /// (Battery Pass pattern <c>^urn:[a-z0-9]+:[a-z0-9]+$</c>).</summary>
    [Required, RegularExpression("^[a-z0-9]{1,31}$", ErrorMessage = "must be 1 to 31 lowercase letters or digits")]
    public string PassportUrnNamespace { get; set; } = "socle";

    /// <summary>How many passports one bulk-import transaction writes.</summary>
    [Range(1, 10_000)]
    public int ImportBatchSize { get; set; } = 250;

    /// <summary>How many passport views the resolver keeps rendered in memory (0 turns the cache off).</summary>
    [Range(0, 10_000_000)]
    public int ResolverCacheEntries { get; set; } = 50_000;

    /// <summary>How long the resolver may answer the public from a passport head it read earlier, in milliseconds (0: read
    /// the head from the database on every request). Public answers are marked cacheable for 60 s, so this stays below it.
    /// Changes made on this server are seen at once, on another server within this time; readers with a key always get
    /// the head from the database.</summary>
    [Range(0, 60_000)]
    public int ResolverHeadMilliseconds { get; set; } = 30_000;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Uri.TryCreate(PublicBaseUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.Query.Length > 0 || uri.Fragment.Length > 0)
        {
            yield return new ValidationResult("must be an absolute http or https address without query or fragment", [nameof(PublicBaseUrl)]);
        }
    }
}
