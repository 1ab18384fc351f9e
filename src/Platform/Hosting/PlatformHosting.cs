using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Localization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Socle.Platform.Storage;

namespace Socle.Platform.Hosting;

/// <summary>The platform's part of a host: storage, journal, time, options, errors, health, languages, module selection.</summary>
public static class PlatformHosting
{
    public static readonly CultureInfo French = CultureInfo.GetCultureInfo("fr-FR");
    public static readonly CultureInfo English = CultureInfo.GetCultureInfo("en-GB");
    public const string LanguageCookie = "socle.lang";

    /// <summary>Storage, journal, migrations, time and options: what every host and every CLI command needs.</summary>
    public static IHostApplicationBuilder AddSoclePlatform(this IHostApplicationBuilder builder)
    {
        builder.AddValidatedOptions<StorageOptions>(StorageOptions.Section);
        builder.AddValidatedOptions<DemoOptions>(DemoOptions.Section);
        var services = builder.Services;
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new Database(sp.GetRequiredService<IOptions<StorageOptions>>().Value.ConnectionString));
        services.TryAddSingleton<Journal.Journal>();
        services.TryAddSingleton<MigrationRunner>();
        builder.AddMigrations("platform", typeof(PlatformHosting).Assembly);
        return builder;
    }

    /// <summary>Registers a module's numbered SQL scripts (embedded under <c>Migrations/</c> in its assembly).</summary>
    public static IHostApplicationBuilder AddMigrations(this IHostApplicationBuilder builder, string module, System.Reflection.Assembly assembly)
    {
        builder.Services.AddSingleton(new MigrationSet(module, assembly));
        return builder;
    }

    /// <summary>
    /// Enables the modules named by <c>--modules a,b</c> (or <c>Socle:Modules</c>), all of them by default, and lets each add itself.
    /// An unknown name stops the boot.
    /// </summary>
    public static IHostApplicationBuilder AddModules(this IHostApplicationBuilder builder, IReadOnlyList<SocleModule> available)
    {
        var enabled = SelectModules(builder.Configuration, available);
        builder.Services.AddSingleton(new ModuleRegistry(enabled));
        foreach (var module in enabled)
        {
            module.Add(builder);
        }
        return builder;
    }

    public static IReadOnlyList<SocleModule> SelectModules(IConfiguration configuration, IReadOnlyList<SocleModule> available)
    {
        var wanted = configuration["modules"] ?? configuration["Socle:Modules"];
        if (string.IsNullOrWhiteSpace(wanted) || wanted.Trim() == "all")
        {
            return available;
        }
        var names = wanted.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(n => n.ToLowerInvariant()).ToList();
        var unknown = names.Where(n => available.All(m => m.Name != n)).ToList();
        if (unknown.Count > 0)
        {
            throw new OptionsValidationException("Socle:Modules", typeof(ModuleRegistry),
                [$"Socle:Modules: unknown module(s) {string.Join(", ", unknown)}; known: {string.Join(", ", available.Select(m => m.Name))}"]);
        }
        return available.Where(m => names.Contains(m.Name)).ToList();
    }

    /// <summary>Web plumbing: problem details for errors, health checks, authentication and authorisation services.</summary>
    public static IHostApplicationBuilder AddSocleWeb(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddProblemDetails(o => o.CustomizeProblemDetails = ctx =>
        {
            ctx.ProblemDetails.Extensions["traceId"] = ctx.HttpContext.TraceIdentifier;
        });
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database");
        services.AddAuthentication();
        services.AddAuthorization();
        services.AddAntiforgery();
        // Keys protecting cookies and antiforgery tokens live with the data, so restarts keep sessions valid.
        // Several servers behind a load balancer share this folder (Socle:DataProtection:KeysDirectory).
        services.AddDataProtection()
            .SetApplicationName("Socle")
            .PersistKeysToFileSystem(new DirectoryInfo(builder.Configuration["Socle:DataProtection:KeysDirectory"] ?? Path.Combine("data", "keys")));
        services.Configure<RequestLocalizationOptions>(o =>
        {
            o.DefaultRequestCulture = new RequestCulture(French);
            o.SupportedCultures = [French, English];
            o.SupportedUICultures = [French, English];
            o.RequestCultureProviders =
            [
                new QueryStringRequestCultureProvider { QueryStringKey = "lang", UIQueryStringKey = "lang" },
                new CustomRequestCultureProvider(ctx =>
                {
                    var lang = ctx.Request.Cookies[LanguageCookie];
                    return Task.FromResult(lang == "en" ? new ProviderCultureResult("en-GB") : lang == "fr" ? new ProviderCultureResult("fr-FR") : null);
                }),
            ];
        });
        return builder;
    }

    /// <summary>
    /// The middleware every Socle server runs, in order: errors as problem details, security headers, languages,
    /// authentication and authorisation; then <c>/health</c> and <c>/lang/{fr|en}</c>.
    /// </summary>
    public static WebApplication UseSoclePlatform(this WebApplication app)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Socle.Platform");
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            StatusCodeSelector = e => e is BadHttpRequestException b ? b.StatusCode : StatusCodes.Status500InternalServerError,
            ExceptionHandler = async ctx =>
            {
                var feature = ctx.Features.Get<IExceptionHandlerFeature>();
                if (feature?.Error is not BadHttpRequestException)
                {
                    Log.Unhandled(logger, feature!.Error, ctx.Request.Method, ctx.Request.Path, ctx.TraceIdentifier);
                }
                var problems = ctx.RequestServices.GetRequiredService<IProblemDetailsService>();
                await problems.WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = ctx,
                    Exception = feature?.Error,
                    ProblemDetails =
                    {
                        Title = feature?.Error is BadHttpRequestException ? "bad_request" : "internal_error",
                        Detail = feature?.Error is BadHttpRequestException b ? b.Message : "An unexpected error occurred. It was logged with the trace id below.",
                        Status = ctx.Response.StatusCode,
                    },
                });
            },
        });
        app.Use(async (ctx, next) =>
        {
            var h = ctx.Response.Headers;
            h.XContentTypeOptions = "nosniff";
            h.XFrameOptions = "DENY";
            h["Referrer-Policy"] = "same-origin";
            h["Permissions-Policy"] = "camera=(self), microphone=(), geolocation=()";
            h.ContentSecurityPolicy = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";
            await next();
        });
        app.UseRequestLocalization();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();

        app.MapHealthChecks("/health", new HealthCheckOptions { ResponseWriter = WriteHealth }).DisableHttpMetrics();
        app.MapGet("/lang/{code}", (string code, string? returnUrl, HttpContext ctx) =>
        {
            if (code is not ("fr" or "en"))
            {
                return Results.Problem(detail: "code: must be fr or en", statusCode: 400, title: "validation");
            }
            ctx.Response.Cookies.Append(LanguageCookie, code, new CookieOptions
            {
                HttpOnly = true,
                SameSite = SameSiteMode.Lax,
                IsEssential = true,
                MaxAge = TimeSpan.FromDays(365),
                Secure = ctx.Request.IsHttps,
            });
            var target = returnUrl is { Length: > 0 } r && r.StartsWith('/') && !r.StartsWith("//", StringComparison.Ordinal) && !r.StartsWith("/\\", StringComparison.Ordinal) ? r : "/";
            return Results.LocalRedirect(target);
        }).ExcludeFromDescription();
        return app;
    }

    /// <summary>Maps every enabled module's API and pages.</summary>
    public static IEndpointRouteBuilder MapModules(this IEndpointRouteBuilder endpoints)
    {
        foreach (var module in endpoints.ServiceProvider.GetRequiredService<ModuleRegistry>().Enabled)
        {
            module.Map(endpoints);
        }
        return endpoints;
    }

    /// <summary>Applies pending migrations of the platform and of every registered module.</summary>
    public static async Task<MigrationReport> MigrateAsync(this IServiceProvider services, CancellationToken ct = default)
    {
        var runner = services.GetRequiredService<MigrationRunner>();
        var report = await runner.RunAsync(services.GetServices<MigrationSet>(), ct);
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("Socle.Platform");
        foreach (var applied in report.Applied)
        {
            Log.MigrationApplied(logger, applied);
        }
        return report;
    }

    /// <summary>
    /// Prepares storage (migrations, demo data) and runs the server. A wrong setting or a changed migration stops the boot
    /// with a message naming the setting or the script, and exit code 2.
    /// </summary>
    public static async Task<int> RunSocleAsync(this WebApplication app)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Socle.Platform");
        try
        {
            var storage = app.Services.GetRequiredService<IOptions<StorageOptions>>().Value;
            var db = app.Services.GetRequiredService<Database>();
            Log.StorageOpened(logger, db.Describe());
            Log.ModulesEnabled(logger, string.Join(", ", app.Services.GetRequiredService<ModuleRegistry>().Enabled.Select(m => m.Name)));
            if (storage.MigrateOnStart)
            {
                await app.Services.MigrateAsync();
            }
            if (app.Services.GetRequiredService<IOptions<DemoOptions>>().Value.Seed)
            {
                await DemoDataRunner.SeedAsync(app.Services, CancellationToken.None);
            }
            await app.RunAsync();
            return 0;
        }
        catch (Exception e) when (e is OptionsValidationException or MigrationChangedException or MigrationFailedException or InvalidOperationException { Source: "Microsoft.Extensions.Configuration.Binder" })
        {
            await Console.Error.WriteLineAsync($"Socle cannot start: {e.Message}");
            return 2;
        }
        catch (System.Data.Common.DbException e)
        {
            var db = app.Services.GetRequiredService<Database>();
            await Console.Error.WriteLineAsync($"Socle cannot start: the database {db.Describe()} cannot be used: {e.Message}");
            return 2;
        }
    }

    private static Task WriteHealth(HttpContext ctx, Microsoft.Extensions.Diagnostics.HealthChecks.HealthReport report)
    {
        ctx.Response.ContentType = "application/json";
        var body = new
        {
            status = report.Status.ToString().ToLowerInvariant(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new
            {
                status = e.Value.Status.ToString().ToLowerInvariant(),
                description = e.Value.Description,
                data = e.Value.Data,
            }),
        };
        return ctx.Response.WriteAsync(JsonSerializer.Serialize(body, new JsonSerializerOptions(JsonSerializerDefaults.Web)));
    }
}
