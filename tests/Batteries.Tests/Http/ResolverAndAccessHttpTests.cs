using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Socle.Batteries.Tests.Access;
using Socle.Modules.Batteries.Access;
using Socle.Modules.Batteries.Passports;
using Socle.Testing;

namespace Socle.Batteries.Tests.Http;

public class ResolverAndAccessHttpTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, StorageProviders]
    public async Task The_resolver_answers_html_to_a_browser_and_json_to_a_machine_at_the_same_address(string provider)
    {
        await using var factory = await BatteriesFactory.StartAsync(provider);
        var id = await factory.SamplePassportAsync();
        var client = factory.Client();

        var page = new HttpRequestMessage(HttpMethod.Get, $"/batteries/p/{id}");
        page.Headers.Accept.ParseAdd("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8");
        var html = await client.SendAsync(page, Ct);
        Assert.Equal(HttpStatusCode.OK, html.StatusCode);
        Assert.Equal("text/html", html.Content.Headers.ContentType!.MediaType);
        var body = WebUtility.HtmlDecode(await html.Content.ReadAsStringAsync(Ct));
        Assert.Contains("(01)03770031220018(21)NMC75-000001", body);
        Assert.Contains($"src=\"/batteries/p/{id}/qr.svg\"", body);

        foreach (var accept in new[] { "application/json", "*/*" })
        {
            var machine = new HttpRequestMessage(HttpMethod.Get, $"/batteries/p/{id}");
            machine.Headers.Accept.ParseAdd(accept);
            var json = await client.SendAsync(machine, Ct);
            Assert.Equal("application/json", json.Content.Headers.ContentType!.MediaType);
            using var doc = JsonDocument.Parse(await json.Content.ReadAsStringAsync(Ct));
            Assert.Equal(id, doc.RootElement.GetProperty("passportId").GetString());
            Assert.Equal("public", doc.RootElement.GetProperty("group").GetString());
            Assert.Equal($"https://passports.example/batteries/p/{id}", doc.RootElement.GetProperty("links").GetProperty("page").GetString());
        }
    }

    [Fact]
    public async Task The_qr_code_and_the_gs1_digital_link_lead_to_the_passport()
    {
        await using var factory = await BatteriesFactory.StartAsync(TestDatabase.Sqlite);
        var id = await factory.SamplePassportAsync();
        var client = factory.Client(redirects: false);

        var svg = await client.GetAsync($"/batteries/p/{id}/qr.svg", Ct);
        Assert.Equal("image/svg+xml", svg.Content.Headers.ContentType!.MediaType);
        Assert.StartsWith("<svg", (await svg.Content.ReadAsStringAsync(Ct)).TrimStart());
        var png = await client.GetByteArrayAsync($"/batteries/p/{id}/qr.png", Ct);
        Assert.Equal([0x89, 0x50, 0x4E, 0x47], png[..4]);
        // the QR encodes the resolver address (decoded independently in the browser tests)
        Assert.Equal(Modules.Batteries.Web.QrCodes.Svg($"https://passports.example/batteries/p/{id}"), await svg.Content.ReadAsStringAsync(Ct));

        var link = await client.GetAsync("/batteries/01/03770031220018/21/NMC75-000001", Ct);
        Assert.Equal(HttpStatusCode.Redirect, link.StatusCode);
        Assert.Equal($"/batteries/p/{id}", link.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/batteries/01/03770031220018/21/NOPE", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/batteries/01/03770031220019/21/X", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/batteries/p/urn:socle:ffffffffffffffffffffffffffffffff/qr.svg", Ct)).StatusCode);
    }

    public static TheoryData<string?, AccessGroup> Readers() => new()
    {
        { null, AccessGroup.Public },
        { "other-operator", AccessGroup.Public },
        { "repairer", AccessGroup.LegitimateInterest },
        { "authority", AccessGroup.Authorities },
        { "notified-body", AccessGroup.Authorities },
        { "commission", AccessGroup.Commission },
        { "operator", AccessGroup.Operator },
    };

    /// <summary>Every catalogue attribute × every group, through every channel a reader has: the resolver's JSON, the page,
    /// the Battery Pass export and the Catena-X export.</summary>
    [Theory, MemberData(nameof(Readers))]
    public async Task Every_attribute_reaches_exactly_the_groups_annex_XIII_opens_it_to_through_every_channel(string? reader, AccessGroup group)
    {
        await using var factory = await BatteriesFactory.StartAsync(TestDatabase.Sqlite);
        var id = await factory.SamplePassportAsync();
        var registry = factory.Services.GetRequiredService<PassportRegistry>();
        var op = factory.Parties["operator"].Party;
        Assert.True((await registry.AppendDynamicAsync(op, id, new DynamicReading { MeasuredAt = DateTimeOffset.UtcNow.AddMinutes(-5), StateOfCharge_pct = 63.5, NegativeEvent = "Thermal event in module 7 after crash" }, null, Ct)).IsSuccess);
        Assert.True((await registry.ChangeStatusAsync(factory.Parties["repairer"].Party, id, StatusChange.Reuse, null, null, Ct)).IsSuccess);
        var full = (await registry.ReadAsync(id, null, Ct))!.Value.Document.Content;
        var client = factory.Client(reader);

        var jsonText = await client.GetStringAsync($"/api/batteries/passports/{id}", Ct);
        using var json = JsonDocument.Parse(jsonText);
        Assert.Equal(group.Code(), json.RootElement.GetProperty("group").GetString());
        var content = json.RootElement.GetProperty("content");
        Assert.Empty(AccessMatrix.Violations(full, group, content, jsonText));
        Assert.Equal(AccessRules.CanSeeStatus(group), json.RootElement.TryGetProperty("registry", out _));

        var page = new HttpRequestMessage(HttpMethod.Get, $"/batteries/p/{id}");
        page.Headers.Accept.ParseAdd("text/html");
        var html = WebUtility.HtmlDecode(await (await client.SendAsync(page, Ct)).Content.ReadAsStringAsync(Ct));
        Assert.Empty(AccessMatrix.Leaks(full, group, html));
        Assert.Equal(AccessRules.CanSeeStatus(group), html.Contains("Reused", StringComparison.Ordinal));

        using var batteryPass = JsonDocument.Parse(await client.GetStringAsync($"/api/batteries/passports/{id}/export/batterypass", Ct));
        var exported = new System.Text.Json.Nodes.JsonObject();
        foreach (var d in batteryPass.RootElement.GetProperty("documents").EnumerateArray())
        {
            var section = Modules.Batteries.Interop.BatteryPassFormat.SectionOf(d.GetProperty("name").GetString()!)!;
            exported[section] = System.Text.Json.Nodes.JsonNode.Parse(d.GetProperty("document").GetRawText());
        }
        using var exportedDoc = JsonDocument.Parse(exported.ToJsonString());
        // Battery Pass has no place for Socle's extensions: every other attribute is there or not as the group may read it
        var violations = AccessMatrix.Violations(full, group, exportedDoc.RootElement);
        Assert.DoesNotContain(violations, v => !v.StartsWith("extensions.", StringComparison.Ordinal));

        var catenaX = await client.GetStringAsync($"/api/batteries/passports/{id}/export/catenax", Ct);
        Assert.Empty(AccessMatrix.Leaks(full, group, catenaX));
        Assert.Equal(AccessRules.CanSeeStatus(group), catenaX.Contains("\"re-used\"", StringComparison.Ordinal));
    }

    [Theory, StorageProviders]
    public async Task The_operator_previews_each_groups_view_and_nobody_else_can_widen_theirs(string provider)
    {
        await using var factory = await BatteriesFactory.StartAsync(provider);
        var id = await factory.SamplePassportAsync();
        var full = (await factory.Services.GetRequiredService<PassportRegistry>().ReadAsync(id, null, Ct))!.Value.Document.Content;
        async Task<string> Page(string? party, string query)
        {
            var request = new HttpRequestMessage(HttpMethod.Get, $"/batteries/p/{id}{query}");
            request.Headers.Accept.ParseAdd("text/html");
            return WebUtility.HtmlDecode(await (await factory.Client(party).SendAsync(request, Ct)).Content.ReadAsStringAsync(Ct));
        }
        Assert.Contains("rapports-essais-ON-0081", await Page("operator", ""));
        var preview = await Page("operator", "?as=public");
        Assert.Empty(AccessMatrix.Leaks(full, AccessGroup.Public, preview));
        Assert.Contains("Vous consultez en tant que", preview);
        // a public reader asking for the commission's view still gets the public one
        Assert.Empty(AccessMatrix.Leaks(full, AccessGroup.Public, await Page(null, "?as=commission")));
        Assert.Empty(AccessMatrix.Leaks(full, AccessGroup.Authorities, await Page("authority", "?as=operator")));
    }

    [Theory, StorageProviders]
    public async Task A_recycled_battery_has_no_passport_any_more_except_for_its_operator(string provider)
    {
        await using var factory = await BatteriesFactory.StartAsync(provider);
        var id = await factory.SamplePassportAsync();
        var registry = factory.Services.GetRequiredService<PassportRegistry>();
        Assert.True((await registry.ChangeStatusAsync(factory.Parties["recycler"].Party, id, StatusChange.Discard, null, null, Ct)).IsSuccess);
        Assert.True((await registry.ChangeStatusAsync(factory.Parties["recycler"].Party, id, StatusChange.Recycle, null, null, Ct)).IsSuccess);

        Assert.Equal(HttpStatusCode.Gone, (await factory.Client().GetAsync($"/batteries/p/{id}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Gone, (await factory.Client("authority").GetAsync($"/api/batteries/passports/{id}", Ct)).StatusCode);
        using var own = JsonDocument.Parse(await factory.Client("operator").GetStringAsync($"/api/batteries/passports/{id}", Ct));
        Assert.Equal("ended", own.RootElement.GetProperty("registry").GetProperty("lifecycle").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await factory.Client().GetAsync($"/api/batteries/passports/{id}/export/catenax", Ct)).StatusCode);
    }

    [Fact]
    public async Task A_wrong_key_is_refused_rather_than_read_as_public()
    {
        await using var factory = await BatteriesFactory.StartAsync(TestDatabase.Sqlite);
        var id = await factory.SamplePassportAsync();
        var client = factory.Client();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "sbk_not-a-key");
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync($"/api/batteries/passports/{id}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await factory.Client().GetAsync("/api/batteries/me", Ct)).StatusCode);
        var me = await factory.Client("repairer").GetFromJsonAsync<JsonElement>("/api/batteries/me", Ct);
        Assert.Equal("legitimate-interest", me.GetProperty("role").GetString());
        Assert.DoesNotContain("sbk_", me.GetRawText());
    }
}
