using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Socle.Modules.Loyalty.Access;
using Socle.Modules.Loyalty.Poster;

namespace Socle.Modules.Loyalty.Pages;

/// <summary>Small non-page endpoints the pages use: QR images and signing out.</summary>
internal static class PageEndpoints
{
    public static void Map(IEndpointRouteBuilder endpoints)
    {
        // Any short text as a QR code (the member page renders its rotating code with it). Nothing secret is made here.
        endpoints.MapGet("/loyalty/qr.svg", (string text, HttpContext ctx) =>
        {
            if (string.IsNullOrEmpty(text) || text.Length > 300)
            {
                return Results.Problem(detail: "text: 1 to 300 characters", statusCode: 400, title: "validation");
            }
            ctx.Response.Headers.CacheControl = "no-store";
            return Results.Text(QrPoster.Svg(text, "QR"), "image/svg+xml");
        }).ExcludeFromDescription();

        endpoints.MapGet("/loyalty/sign-out", (HttpContext ctx) =>
        {
            StaffAccess.SignOut(ctx);
            return Results.LocalRedirect("/loyalty");
        }).ExcludeFromDescription();
    }
}
