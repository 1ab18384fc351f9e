using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Socle.Testing;

namespace Socle.Loyalty.Tests;

/// <summary>The HTTP API as a point of sale and a member's phone use it.</summary>
public class HttpApiTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly object Shop = new
    {
        shopName = "Librairie des Quais",
        storeName = "Quai 3",
        ownerName = "Marc",
        programmeName = "Points lecture",
        programme = new { kind = "points", bands = new object[] { new { up_to_eur = 50, points_per_euro = 5 }, new { up_to_eur = (decimal?)null, points_per_euro = 10 } }, min_seconds_between_earnings = 0 },
        rewardName = "Marque-page",
        rewardCost = 300,
    };

    private static async Task<(HttpClient Owner, JsonElement Shop, HttpClient Anonymous)> SetUpAsync(LoyaltyFactory f)
    {
        var anonymous = f.CreateClient();
        var response = await anonymous.PostAsJsonAsync("/api/loyalty/shops", Shop, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var shop = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var owner = f.CreateClient();
        owner.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", shop.GetProperty("ownerKey").GetString());
        return (owner, shop, anonymous);
    }

    private static HttpRequestMessage Purchase(string key, object body) =>
        new(HttpMethod.Post, "/api/loyalty/purchases") { Content = JsonContent.Create(body), Headers = { { "Idempotency-Key", key } } };

    [Theory, StorageProviders]
    public async Task A_point_of_sale_records_purchases_idempotently_and_a_member_redeems(string provider)
    {
        await using var f = await LoyaltyFactory.StartAsync(provider);
        var (owner, shop, anonymous) = await SetUpAsync(f);
        var joined = await (await anonymous.PostAsJsonAsync("/api/loyalty/join", new
        {
            joinCode = shop.GetProperty("joinCode").GetString(), displayName = "Nora", acceptProgramme = true, marketing = false, profiling = false,
        }, Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct);
        var memberId = joined.GetProperty("memberId").GetString();
        var card = joined.GetProperty("cardToken").GetString();

        var first = await owner.SendAsync(Purchase("receipt-1", new { memberId, amountEur = 80.00m }), Ct);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var outcome = await first.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(550, outcome.GetProperty("units").GetInt64());
        var retry = await (await owner.SendAsync(Purchase("receipt-1", new { memberId, amountEur = 80.00m }), Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.True(retry.GetProperty("replayed").GetBoolean());

        // the member's phone: a fresh code, scanned at the till once
        var code = await anonymous.GetFromJsonAsync<JsonElement>($"/api/loyalty/cards/{card}/code", Ct);
        var scanned = await owner.SendAsync(Purchase("receipt-2", new { memberCode = code.GetProperty("code").GetString(), amountEur = 10m }), Ct);
        Assert.Equal(50, (await scanned.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("units").GetInt64());
        var replayed = await owner.SendAsync(Purchase("receipt-3", new { memberCode = code.GetProperty("code").GetString(), amountEur = 10m }), Ct);
        Assert.Equal(HttpStatusCode.Conflict, replayed.StatusCode);
        Assert.Contains("member_code_replayed", await replayed.Content.ReadAsStringAsync(Ct));

        var rewards = await owner.GetFromJsonAsync<JsonElement>("/api/loyalty/rewards", Ct);
        var rewardId = rewards[0].GetProperty("id").GetString();
        var redeem = new HttpRequestMessage(HttpMethod.Post, $"/api/loyalty/cards/{card}/redemptions") { Content = JsonContent.Create(new { rewardId }), Headers = { { "Idempotency-Key", "r-1" } } };
        var rewardCode = await (await anonymous.SendAsync(redeem, Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct);
        var use = await owner.PostAsync($"/api/loyalty/reward-codes/{rewardCode.GetProperty("code").GetString()}/use", null, Ct);
        Assert.Equal(HttpStatusCode.OK, use.StatusCode);
        var again = await owner.PostAsync($"/api/loyalty/reward-codes/{rewardCode.GetProperty("code").GetString()}/use", null, Ct);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        var view = await anonymous.GetFromJsonAsync<JsonElement>($"/api/loyalty/cards/{card}", Ct);
        Assert.Equal(600 - 300, view.GetProperty("balance").GetInt64());

        // a second store; a purchase may name a store, only one of this shop's
        var store = await (await owner.PostAsJsonAsync("/api/loyalty/stores", new { name = "Marché du samedi" }, Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(2, (await owner.GetFromJsonAsync<JsonElement>("/api/loyalty/stores", Ct)).GetArrayLength());
        var inStore = await owner.SendAsync(Purchase("receipt-4", new { memberId, amountEur = 1m, storeId = store.GetProperty("id").GetString() }), Ct);
        Assert.Equal(HttpStatusCode.OK, inStore.StatusCode);
        var foreign = await owner.SendAsync(Purchase("receipt-5", new { memberId, amountEur = 1m, storeId = "sto_elsewhere" }), Ct);
        Assert.Contains("store_id", await foreign.Content.ReadAsStringAsync(Ct));

        var liability = await owner.GetFromJsonAsync<JsonElement>("/api/loyalty/liability", Ct);
        Assert.Equal(605, liability.GetProperty("unitsIssued").GetInt64());
        Assert.Equal(300, liability.GetProperty("unitsRedeemed").GetInt64());
    }

    [Fact]
    public async Task Bad_input_and_missing_keys_get_clear_errors_naming_the_field()
    {
        await using var f = await LoyaltyFactory.StartAsync(TestDatabase.Sqlite);
        var (owner, shop, anonymous) = await SetUpAsync(f);

        var noKey = await owner.PostAsJsonAsync("/api/loyalty/purchases", new { memberId = "x", amountEur = 1m }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, noKey.StatusCode);
        var problem = await noKey.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.True(problem.GetProperty("errors").TryGetProperty("Idempotency-Key", out _));

        var bad = await owner.SendAsync(Purchase("k", new { amountEur = -5m }), Ct);
        var errors = (await bad.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("errors");
        Assert.True(errors.TryGetProperty("amount_eur", out _));
        Assert.True(errors.TryGetProperty("member_id", out _));

        var anonymousPurchase = await anonymous.SendAsync(Purchase("k2", new { memberId = "x", amountEur = 1m }), Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymousPurchase.StatusCode);

        var cashierKey = (await (await owner.PostAsJsonAsync("/api/loyalty/staff", new { name = "Léo", role = "cashier" }, Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("key").GetString();
        var cashier = f.CreateClient();
        cashier.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", cashierKey);
        Assert.Equal(HttpStatusCode.Forbidden, (await cashier.GetAsync("/api/loyalty/liability", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await cashier.GetAsync("/api/loyalty/rewards", Ct)).StatusCode);

        var badProgramme = await owner.PutAsJsonAsync("/api/loyalty/programme", new { name = "v2", definition = new { kind = "points", bands = new[] { new { points_per_euro = -1 } } } }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, badProgramme.StatusCode);
        Assert.Contains("bands[0].points_per_euro", await badProgramme.Content.ReadAsStringAsync(Ct));

        var badJoin = await anonymous.PostAsJsonAsync("/api/loyalty/join", new { joinCode = shop.GetProperty("joinCode").GetString(), displayName = "", acceptProgramme = false }, Ct);
        var joinErrors = (await badJoin.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("errors");
        Assert.True(joinErrors.TryGetProperty("display_name", out _));
        Assert.True(joinErrors.TryGetProperty("accept_programme", out _));
    }

    [Fact]
    public async Task The_poster_is_a_real_png_and_pdf_and_the_api_is_in_OpenAPI()
    {
        await using var f = await LoyaltyFactory.StartAsync(TestDatabase.Sqlite);
        var (owner, _, anonymous) = await SetUpAsync(f);
        var png = await owner.GetByteArrayAsync("/api/loyalty/poster.png", Ct);
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png[..4]);
        var pdf = await owner.GetByteArrayAsync("/api/loyalty/poster.pdf", Ct);
        var text = Encoding.Latin1.GetString(pdf);
        Assert.StartsWith("%PDF-1.4", text);
        Assert.EndsWith("%%EOF\n", text);
        // the xref offsets point at the objects
        var xref = int.Parse(text[(text.LastIndexOf("startxref\n", StringComparison.Ordinal) + 10)..].Split('\n')[0], System.Globalization.CultureInfo.InvariantCulture);
        Assert.StartsWith("xref", text[xref..]);
        var firstObject = int.Parse(text[(xref + 29)..(xref + 39)], System.Globalization.CultureInfo.InvariantCulture);
        Assert.StartsWith("1 0 obj", text[firstObject..]);
        Assert.Contains(" re\n", text); // the QR code's modules as vector rectangles

        var openapi = await anonymous.GetStringAsync("/openapi/v1.json", Ct);
        Assert.Contains("/api/loyalty/purchases", openapi);
        Assert.Contains("/api/loyalty/cards/{card}/code", openapi);
    }
}
