using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Socle.Modules.Batteries.Parties;

namespace Socle.Modules.Batteries.Web;

/// <summary>
/// How a party proves who it is: its access key as a bearer token on the API (<c>Authorization: Bearer sbk_…</c>), or,
/// in the browser, a session cookie obtained by signing in with the key (HttpOnly, SameSite=Lax, protected by Data
/// Protection, 8 hours). No key means the public group. A revoked party loses access within 30 seconds.
/// </summary>
public static class BatteriesAuth
{
    public const string Scheme = "Socle.Batteries";
    public const string KeyScheme = "Socle.Batteries.Key";
    public const string CookieScheme = "Socle.Batteries.Cookie";
    public const string CookieName = "socle.batteries";
    public const string PartyClaim = "socle:batteries:party";

    public static void Add(IServiceCollection services)
    {
        services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, AccessKeyHandler>(KeyScheme, null)
            .AddCookie(CookieScheme, o =>
            {
                o.Cookie.Name = CookieName;
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Lax;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.ExpireTimeSpan = TimeSpan.FromHours(8);
                o.SlidingExpiration = true;
                o.LoginPath = "/batteries/signin";
                o.AccessDeniedPath = "/batteries/signin";
                o.Events.OnValidatePrincipal = async ctx =>
                {
                    var id = ctx.Principal?.FindFirstValue(PartyClaim);
                    var party = id is null ? null : await ctx.HttpContext.RequestServices.GetRequiredService<PartyStore>().GetAsync(id, ctx.HttpContext.RequestAborted);
                    if (party is null || party.RevokedAt is not null)
                    {
                        ctx.RejectPrincipal();
                        await ctx.HttpContext.SignOutAsync(CookieScheme);
                    }
                };
            })
            .AddPolicyScheme(Scheme, "Battery passport parties", o => o.ForwardDefaultSelector = ctx =>
                ctx.Request.Headers.Authorization.Count > 0 ? KeyScheme : CookieScheme);
    }

    public static ClaimsPrincipal Principal(Party party, string scheme) =>
        new(new ClaimsIdentity([new Claim(PartyClaim, party.Id), new Claim(ClaimTypes.Name, party.Name), new Claim(ClaimTypes.Role, Party.RoleCode(party.Role))], scheme));

    /// <summary>The party behind a request (key or cookie), or null for the public.</summary>
    public static async Task<Party?> CallerAsync(HttpContext ctx)
    {
        if (ctx.Items.TryGetValue(typeof(BatteriesAuth), out var cached))
        {
            return cached as Party;
        }
        var result = await ctx.AuthenticateAsync(Scheme);
        Party? party = null;
        if (result.Succeeded && result.Principal.FindFirstValue(PartyClaim) is { } id)
        {
            party = await ctx.RequestServices.GetRequiredService<PartyStore>().GetAsync(id, ctx.RequestAborted);
            if (party?.RevokedAt is not null)
            {
                party = null;
            }
        }
        ctx.Items[typeof(BatteriesAuth)] = party;
        return party;
    }

    /// <summary>Whether the request presented a key that was refused (wrong, revoked): the API answers 401 rather than treating it as public.</summary>
    public static bool PresentedBadKey(HttpContext ctx) =>
        ctx.Request.Headers.Authorization.Count > 0 && ctx.Items.TryGetValue(typeof(BatteriesAuth), out var p) && p is null;
}

/// <summary>Authenticates <c>Authorization: Bearer sbk_…</c> against the stored key hashes.</summary>
internal sealed class AccessKeyHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory loggerFactory, UrlEncoder encoder, PartyStore parties)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggerFactory, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (header.Length == 0)
        {
            return AuthenticateResult.NoResult();
        }
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.Fail("the Authorization header must be 'Bearer <access key>'");
        }
        var party = await parties.AuthenticateAsync(header[7..].Trim(), Context.RequestAborted);
        if (party is null)
        {
            return AuthenticateResult.Fail("unknown or revoked access key");
        }
        return AuthenticateResult.Success(new AuthenticationTicket(BatteriesAuth.Principal(party, Scheme.Name), Scheme.Name));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = 401;
        Response.Headers.WWWAuthenticate = "Bearer realm=\"socle-batteries\"";
        return Task.CompletedTask;
    }
}
