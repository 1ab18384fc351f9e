using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Socle.Modules.Loyalty.Members;
using Socle.Testing;

namespace Socle.Loyalty.Tests;

public class WebhookAndOfferTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Webhooks_are_delivered_signed_with_HMAC_SHA256()
    {
        // the merchant's system: a receiver on loopback that records what it gets
        var received = new ConcurrentQueue<(string Body, string Signature, string Event)>();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        await using var receiver = builder.Build();
        receiver.MapPost("/hook", async (HttpContext ctx) =>
        {
            using var reader = new StreamReader(ctx.Request.Body);
            received.Enqueue((await reader.ReadToEndAsync(), ctx.Request.Headers["X-Socle-Signature"].ToString(), ctx.Request.Headers["X-Socle-Event"].ToString()));
            return Results.Ok();
        });
        await receiver.StartAsync(Ct);
        var hookUrl = receiver.Urls.First() + "/hook";

        await using var f = await LoyaltyFactory.StartAsync(TestDatabase.Sqlite);
        var anonymous = f.CreateClient();
        var shop = await (await anonymous.PostAsJsonAsync("/api/loyalty/shops", new
        {
            shopName = "Fleuriste", storeName = "Marché", ownerName = "Anne", programmeName = "Tampons", programme = new { kind = "visits" }, rewardName = "Bouquet", rewardCost = 10,
        }, Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct);
        var owner = f.CreateClient();
        owner.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", shop.GetProperty("ownerKey").GetString());
        var secret = (await (await owner.PutAsJsonAsync("/api/loyalty/webhook", new { url = hookUrl }, Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("secret").GetString()!;

        await anonymous.PostAsJsonAsync("/api/loyalty/join", new { joinCode = shop.GetProperty("joinCode").GetString(), displayName = "Paul", acceptProgramme = true }, Ct);
        var sweep = await owner.PostAsync("/api/loyalty/sweep", null, Ct);
        Assert.True(sweep.IsSuccessStatusCode);

        var (body, signature, kind) = Assert.Single(received);
        Assert.Equal("member.joined", kind);
        var parts = signature.Split(',').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        Assert.Equal(Outbox.Signature(secret, long.Parse(parts["t"], System.Globalization.CultureInfo.InvariantCulture), body), parts["v1"]);
        Assert.Equal("member.joined", JsonDocument.Parse(body).RootElement.GetProperty("type").GetString());
        await owner.PostAsync("/api/loyalty/sweep", null, Ct);
        Assert.Single(received); // delivered once
        await receiver.StopAsync(Ct);
    }

    [Theory, StorageProviders]
    public async Task Offers_reach_only_members_who_accept_offers_and_targeting_needs_profiling_consent(string provider)
    {
        await using var h = await LoyaltyHarness.StartAsync(provider);
        var (shop, alice) = await LedgerTests.ShopWithMemberAsync(h); // no marketing consent
        var bob = (await h.Members.JoinAsync(new JoinRequest(shop.JoinCode, "Bob", null, null, null, true, Marketing: true, Profiling: false), Ct)).Value;
        var chloe = (await h.Members.JoinAsync(new JoinRequest(shop.JoinCode, "Chloé", null, null, null, true, Marketing: true, Profiling: true), Ct)).Value;
        var outbox = h.Get<Outbox>();
        var everyone = new[] { alice.MemberId, bob.MemberId, chloe.MemberId };
        Assert.Equal(2, await outbox.OfferAsync(shop.MerchantId, "o1", everyone, targeted: false, "page", "Galette des rois", "-20 % cette semaine", Ct));
        Assert.Equal(1, await outbox.OfferAsync(shop.MerchantId, "o2", everyone, targeted: true, "page", "Pour nos fidèles", "Un café offert", Ct));
        Assert.Empty(await outbox.ForMemberAsync(alice.MemberId, Ct));
        Assert.Equal(["Galette des rois"], (await outbox.ForMemberAsync(bob.MemberId, Ct)).Select(m => m.Subject));
        Assert.Equal(2, (await outbox.ForMemberAsync(chloe.MemberId, Ct)).Count);
        Assert.Equal(0, await outbox.OfferAsync(shop.MerchantId, "o1", everyone, targeted: false, "page", "Galette des rois", "-20 % cette semaine", Ct)); // once per offer
    }
}
