using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Socle.Platform;

namespace Socle.Modules.Heat.Access;

/// <summary>
/// Who may change Heat data. Reading is open (unless <see cref="HeatOptions.RequireKeyToRead"/>); changing scenarios and
/// running simulations needs the editor key: on the API as <c>Authorization: Bearer &lt;key&gt;</c> (or <c>X-Heat-Key</c>),
/// in the pages through a sign-in that sets an HttpOnly, SameSite=Strict cookie (forms also carry antiforgery tokens).
/// API writes do not accept the cookie, so a cross-site request cannot ride a signed-in browser.
/// </summary>
public sealed class HeatAccess
{
    public const string CookieScheme = "heat-editor";
    public const string EditorClaim = "heat:editor";
    private readonly byte[] _key;

    public HeatAccess(IOptions<HeatOptions> options, ILogger<HeatAccess> logger)
    {
        var o = options.Value;
        var key = o.EditorKey;
        if (string.IsNullOrWhiteSpace(key))
        {
            var path = Path.GetFullPath(o.EditorKeyFile);
            if (File.Exists(path))
            {
                key = File.ReadAllText(path).Trim();
            }
            if (string.IsNullOrWhiteSpace(key) || key.Length < 16)
            {
                key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).Replace('+', '-').Replace('/', '_');
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                File.WriteAllText(path, key + "\n");
                if (!OperatingSystem.IsWindows())
                {
                    File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
                }
                Log.EditorKeyGenerated(logger, path);
            }
        }
        _key = SHA256.HashData(Encoding.UTF8.GetBytes(key));
        RequireKeyToRead = o.RequireKeyToRead;
    }

    public bool RequireKeyToRead { get; }

    /// <summary>Constant-time comparison of a presented key with the editor key.</summary>
    public bool IsEditorKey(string? presented) =>
        presented is { Length: > 0 } && CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), _key);

    /// <summary>The key presented on an API request, if any.</summary>
    public static string? PresentedKey(HttpRequest request)
    {
        var auth = request.Headers.Authorization.ToString();
        if (auth.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return auth["Bearer ".Length..].Trim();
        }
        return request.Headers.TryGetValue("X-Heat-Key", out var k) ? k.ToString() : null;
    }

    public bool ApiIsEditor(HttpContext context) => IsEditorKey(PresentedKey(context.Request));

    /// <summary>A page visitor signed in with the key (cookie).</summary>
    public static async Task<bool> PageIsEditorAsync(HttpContext context)
    {
        var result = await context.AuthenticateAsync(CookieScheme);
        return result.Succeeded && result.Principal.HasClaim(EditorClaim, "true");
    }

    public static Task SignInAsync(HttpContext context) =>
        context.SignInAsync(CookieScheme, new ClaimsPrincipal(new ClaimsIdentity([new Claim(EditorClaim, "true")], CookieScheme)));

    public static Task SignOutAsync(HttpContext context) => context.SignOutAsync(CookieScheme);

    public static readonly Error KeyRequired = Error.Unauthorized("This needs the Heat editor key: send 'Authorization: Bearer <key>' (Socle:Heat:EditorKey, or the file data/heat-editor.key).");
}

/// <summary>Endpoint filter: the request must carry the editor key.</summary>
public sealed class RequireEditorKey(HeatAccess access) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        if (!access.ApiIsEditor(context.HttpContext))
        {
            context.HttpContext.Response.Headers.WWWAuthenticate = "Bearer realm=\"socle-heat\"";
            return HeatAccess.KeyRequired.ToProblem();
        }
        return await next(context);
    }
}

/// <summary>Endpoint filter for reads when <see cref="HeatOptions.RequireKeyToRead"/> is on.</summary>
public sealed class RequireReader(HeatAccess access) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        if (access.RequireKeyToRead && !access.ApiIsEditor(context.HttpContext) && !await HeatAccess.PageIsEditorAsync(context.HttpContext))
        {
            context.HttpContext.Response.Headers.WWWAuthenticate = "Bearer realm=\"socle-heat\"";
            return HeatAccess.KeyRequired.ToProblem();
        }
        return await next(context);
    }
}

internal static class CookieSetup
{
    public static void Configure(CookieAuthenticationOptions o)
    {
        o.Cookie.Name = "socle.heat";
        o.Cookie.HttpOnly = true;
        o.Cookie.SameSite = SameSiteMode.Strict;
        o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        o.Cookie.Path = "/";
        o.ExpireTimeSpan = TimeSpan.FromHours(12);
        o.SlidingExpiration = true;
        o.LoginPath = "/heat/connexion";
        o.AccessDeniedPath = "/heat/connexion";
    }
}
