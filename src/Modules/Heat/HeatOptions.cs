using System.ComponentModel.DataAnnotations;

namespace Socle.Modules.Heat;

/// <summary>Section <c>Socle:Heat</c>.</summary>
public sealed class HeatOptions
{
    public const string Section = "Socle:Heat";

    /// <summary>
    /// The key that allows changing scenarios and running simulations (API: <c>Authorization: Bearer &lt;key&gt;</c>; pages:
    /// sign in with it). When empty, a random key is generated once and kept in <see cref="EditorKeyFile"/>.
    /// </summary>
    [MinLength(16, ErrorMessage = "must be at least 16 characters")]
    public string? EditorKey { get; set; }

    /// <summary>Where the generated editor key is kept (read by administrators; never logged).</summary>
    [Required]
    public string EditorKeyFile { get; set; } = Path.Combine("data", "heat-editor.key");

    /// <summary>Also require the key to read scenarios and results (for confidential studies).</summary>
    public bool RequireKeyToRead { get; set; }

    /// <summary>Year simulations run at the same time in one server; more wait their turn.</summary>
    [Range(1, 64, ErrorMessage = "must be between 1 and 64")]
    public int MaxParallelSimulations { get; set; } = 2;

    /// <summary>Largest scenario, weather or pandapipes file accepted.</summary>
    [Range(10_000, 200_000_000, ErrorMessage = "must be between 10 kB and 200 MB")]
    public int MaxUploadBytes { get; set; } = 20_000_000;

    /// <summary>Largest network accepted (nodes), to keep one request from taking the server.</summary>
    [Range(10, 1_000_000, ErrorMessage = "must be between 10 and 1,000,000")]
    public int MaxNodes { get; set; } = 50_000;
}
