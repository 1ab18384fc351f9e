using System.ComponentModel.DataAnnotations;
using Socle.Platform.Storage;

namespace Socle.Platform.Hosting;

/// <summary>Section <c>Socle:Storage</c>.</summary>
public sealed class StorageOptions : IValidatableObject
{
    public const string Section = "Socle:Storage";

    /// <summary>SQLite (<c>Data Source=data/socle.db</c>, the default) or PostgreSQL (<c>Host=...;Database=...;Username=...</c>).</summary>
    [Required]
    public string ConnectionString { get; set; } = "Data Source=data/socle.db";

    /// <summary>Apply pending migrations when the server starts (default). Otherwise run <c>socle db migrate</c>.</summary>
    public bool MigrateOnStart { get; set; } = true;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrWhiteSpace(ConnectionString))
        {
            yield break;
        }
        string? problem = null;
        try
        {
            Database.DetectProvider(ConnectionString);
        }
        catch (ArgumentException e)
        {
            problem = e.Message;
        }
        if (problem is not null)
        {
            yield return new ValidationResult(problem, [nameof(ConnectionString)]);
        }
    }
}

/// <summary>Section <c>Socle:Demo</c>.</summary>
public sealed class DemoOptions
{
    public const string Section = "Socle:Demo";

    /// <summary>Seed each module's demo data the first time the server starts on an empty database.</summary>
    public bool Seed { get; set; } = true;
}
