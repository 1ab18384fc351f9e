using Microsoft.Extensions.FileProviders;
using Socle.Host.Components;
using Socle.Platform.Hosting;

namespace Socle.Host;

/// <summary>
/// The composition of the Socle server: platform, then the enabled modules, then pages.
/// Used by Program.cs (<c>dotnet run --project src/Host</c>) and by <c>socle serve</c>.
/// </summary>
public static class SocleApp
{
    public static WebApplicationBuilder CreateBuilder(string[] args, IReadOnlyList<SocleModule>? modules = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.AddSoclePlatform();
        builder.AddSocleWeb();
        builder.Services.AddOpenApi();
        builder.Services.AddRazorComponents();
        builder.AddModules(modules ?? SocleModules.All);
        return builder;
    }

    public static WebApplication Build(WebApplicationBuilder builder)
    {
        var app = builder.Build();
        // Empty error responses become problem details under /api and the "not found" page elsewhere.
        app.UseWhen(ctx => ctx.Request.Path.StartsWithSegments("/api"), api => api.UseStatusCodePages());
        app.UseWhen(ctx => !ctx.Request.Path.StartsWithSegments("/api"), pages => pages.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true));
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = new ManifestEmbeddedFileProvider(typeof(SocleApp).Assembly, "wwwroot"),
            OnPrepareResponse = ctx => ctx.Context.Response.Headers.CacheControl = "public, max-age=3600",
        });
        app.UseRouting(); // after the status-code pages, so that a re-executed request is routed again
        app.UseSoclePlatform();
        app.MapOpenApi();
        app.MapModules();
        app.MapRazorComponents<App>()
            .AddAdditionalAssemblies([.. app.Services.GetRequiredService<ModuleRegistry>().PageAssemblies]);
        return app;
    }

    public static WebApplication Build(string[] args) => Build(CreateBuilder(args));
}
