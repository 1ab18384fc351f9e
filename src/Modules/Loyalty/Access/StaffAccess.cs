using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Socle.Platform;
using Socle.Modules.Loyalty.Programs;

namespace Socle.Modules.Loyalty.Access;

/// <summary>
/// Who is at the till. Staff authenticate with their access key: as <c>Authorization: Bearer lk_…</c> on the API (points of
/// sale, scripts), or through the sign-in page, which keeps the key in an HttpOnly, SameSite=Strict cookie. The cookie is
/// accepted on pages and on GET downloads only, so no cross-site form can act with it.
/// </summary>
public static class StaffAccess
{
    public const string Cookie = "loyalty.staff";
    private const string ItemKey = "loyalty.staff";

    public static async Task<Staff?> CurrentAsync(HttpContext ctx, bool allowCookie)
    {
        if (ctx.Items.TryGetValue(ItemKey, out var cached) && cached is Staff s)
        {
            return s;
        }
        string? key = null;
        var header = ctx.Request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            key = header[7..].Trim();
        }
        else if (allowCookie)
        {
            key = ctx.Request.Cookies[Cookie];
        }
        if (key is null)
        {
            return null;
        }
        var staff = await ctx.RequestServices.GetRequiredService<Merchants>().AuthenticateAsync(key, ctx.RequestAborted);
        if (staff is not null)
        {
            ctx.Items[ItemKey] = staff;
        }
        return staff;
    }

    public static void SignIn(HttpContext ctx, string key) =>
        ctx.Response.Cookies.Append(Cookie, key, new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            Secure = ctx.Request.IsHttps,
            IsEssential = true,
            MaxAge = TimeSpan.FromDays(30),
            Path = "/",
        });

    public static void SignOut(HttpContext ctx) => ctx.Response.Cookies.Delete(Cookie, new CookieOptions { Path = "/" });

    /// <summary>An endpoint filter: 401 without a valid key, 403 when the endpoint is for owners and the key is a cashier's.</summary>
    public static TBuilder RequireStaff<TBuilder>(this TBuilder builder, bool ownerOnly = false) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            var ctx = context.HttpContext;
            var staff = await CurrentAsync(ctx, HttpMethods.IsGet(ctx.Request.Method));
            if (staff is null)
            {
                return Platform.Error.Unauthorized("Give a staff access key: Authorization: Bearer lk_…").ToProblem();
            }
            if (ownerOnly && !staff.IsOwner)
            {
                return Platform.Error.Forbidden("Only the shop's owner can do this.").ToProblem();
            }
            return await next(context);
        });

    /// <summary>The staff member authenticated by <see cref="RequireStaff"/>.</summary>
    public static Staff Staff(this HttpContext ctx) => (Staff)ctx.Items[ItemKey]!;
}
