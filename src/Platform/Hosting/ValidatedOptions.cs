using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Socle.Platform.Hosting;

/// <summary>
/// Options bound from one configuration section and validated when the host starts: a wrong setting stops the boot with
/// a message that names the full configuration key (<c>Socle:Heat:MaxParallelSimulations: must be between 1 and 64</c>).
/// Validation uses the data annotations on the options class and <see cref="IValidatableObject"/> for rules across fields.
/// </summary>
public static class ValidatedOptions
{
    public static OptionsBuilder<TOptions> AddValidatedOptions<TOptions>(this IHostApplicationBuilder builder, string section)
        where TOptions : class
    {
        builder.Services.AddSingleton<IValidateOptions<TOptions>>(new SectionValidator<TOptions>(section));
        return builder.Services.AddOptions<TOptions>()
            .Bind(builder.Configuration.GetSection(section), o => o.ErrorOnUnknownConfiguration = false)
            .ValidateOnStart();
    }

    /// <summary>Validates an options object outside a host (the CLI does this before it runs a command).</summary>
    public static IReadOnlyList<string> Validate(object options, string section)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return results
            .Select(r => $"{section}:{(r.MemberNames.FirstOrDefault() is { } m ? m : "")}: {r.ErrorMessage}".Replace("::", ":", StringComparison.Ordinal))
            .ToList();
    }

    private sealed class SectionValidator<TOptions>(string section) : IValidateOptions<TOptions>
        where TOptions : class
    {
        public ValidateOptionsResult Validate(string? name, TOptions options)
        {
            var failures = ValidatedOptions.Validate(options, section);
            return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
        }
    }
}
