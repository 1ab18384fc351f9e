using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Socle.Modules.Batteries.Demo;
using Socle.Modules.Batteries.Schemas;
using Socle.Testing;

namespace Socle.Batteries.Tests.Http;

public class PassportApiTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static JsonContent Body(object value) => JsonContent.Create(value);

    private static async Task<JsonElement> Json(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement.Clone();

    [Theory, StorageProviders]
    public async Task An_operator_creates_updates_reads_and_verifies_a_passport_over_http(string provider)
    {
        await using var factory = await BatteriesFactory.StartAsync(provider);
        var op = factory.Client("operator");

        var created = await op.PostAsync("/api/batteries/passports", Body(new { content = SamplePassports.Load(SamplePassports.EvLfp) }), Ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var record = await Json(created);
        var id = record.GetProperty("head").GetProperty("id").GetString()!;
        Assert.Equal($"/api/batteries/passports/{id}", created.Headers.Location!.OriginalString);

        var stale = new HttpRequestMessage(HttpMethod.Post, $"/api/batteries/passports/{id}/versions")
        {
            Content = Body(new { sections = new { supplyChainDueDiligence = new { supplyChainDueDiligenceReport = "https://example.org/dd.pdf" } } }),
        };
        stale.Headers.IfMatch.ParseAdd("\"2\"");
        var conflict = await op.SendAsync(stale, Ct);
        Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);
        Assert.Equal("version_conflict", (await Json(conflict)).GetProperty("code").GetString());

        var updated = await op.PostAsync($"/api/batteries/passports/{id}/versions",
            Body(new { sections = new { supplyChainDueDiligence = new { supplyChainDueDiligenceReport = "https://example.org/dd.pdf" } }, expectedVersion = 1 }), Ct);
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        Assert.Equal(2, (await Json(updated)).GetProperty("version").GetProperty("version").GetInt32());

        var reading = await op.PostAsync($"/api/batteries/passports/{id}/dynamic", Body(new { measuredAt = DateTimeOffset.UtcNow.AddMinutes(-1), remainingCapacity_ah = 148.2, fullCycles = 300 }), Ct);
        Assert.Equal(HttpStatusCode.OK, reading.StatusCode);

        var versions = await Json(await op.GetAsync($"/api/batteries/passports/{id}/versions", Ct));
        Assert.Equal(["created", "updated", "dynamic"], versions.EnumerateArray().Select(v => v.GetProperty("change").GetString()));
        var verify = await Json(await op.GetAsync($"/api/batteries/passports/{id}/verify", Ct));
        Assert.True(verify.GetProperty("ok").GetBoolean());
        Assert.Equal(3, verify.GetProperty("versions").GetInt32());
        var authorityVerify = await factory.Client("authority").GetAsync($"/api/batteries/passports/{id}/verify", Ct);
        Assert.Equal(HttpStatusCode.OK, authorityVerify.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await factory.Client("authority").GetAsync($"/api/batteries/passports/{id}/versions", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await factory.Client().GetAsync($"/api/batteries/passports/{id}/verify", Ct)).StatusCode);
        var completeness = await Json(await op.GetAsync($"/api/batteries/passports/{id}/completeness", Ct));
        Assert.Equal(0, completeness.GetArrayLength());
    }

    [Fact]
    public async Task Bad_input_gets_problem_details_naming_each_field()
    {
        await using var factory = await BatteriesFactory.StartAsync(TestDatabase.Sqlite);
        var op = factory.Client("operator");
        var content = SamplePassports.Load(SamplePassports.EvNmc811);
        content["generalProductInformation"]!["batteryMass"] = "heavy";
        content["labels"]!["labels"]![0]!["labelingSubject"] = "Recyclable";
        var response = await op.PostAsync("/api/batteries/passports", Body(new { content }), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var errors = (await Json(response)).GetProperty("errors");
        Assert.Contains("is not of type 'number'", errors.GetProperty("$.generalProductInformation.batteryMass")[0].GetString());
        Assert.Contains("is not one of", errors.GetProperty("$.labels.labels[0].labelingSubject")[0].GetString());

        var forbidden = await factory.Client("authority").PostAsync("/api/batteries/passports", Body(new { content = SamplePassports.Load(SamplePassports.EvNmc811) }), Ct);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await factory.Client().PostAsync("/api/batteries/passports", Body(new { content = new { } }), Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await op.PostAsync("/api/batteries/passports/x/status", Body(new { change = "explode" }), Ct)).StatusCode);
    }

    [Theory, StorageProviders]
    public async Task An_idempotency_key_makes_a_retried_create_answer_the_same_without_a_second_passport(string provider)
    {
        await using var factory = await BatteriesFactory.StartAsync(provider);
        var op = factory.Client("operator");
        async Task<HttpResponseMessage> Post(object content)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/api/batteries/passports") { Content = Body(new { content }) };
            request.Headers.Add("Idempotency-Key", "order-2026-0001");
            return await op.SendAsync(request, Ct);
        }
        var first = await Json(await Post(SamplePassports.Load(SamplePassports.EvNmc811)));
        var again = await Json(await Post(SamplePassports.Load(SamplePassports.EvNmc811)));
        Assert.Equal(first.GetProperty("head").GetProperty("id").GetString(), again.GetProperty("head").GetProperty("id").GetString());
        var other = await Post(SamplePassports.Load(SamplePassports.EvLfp));
        Assert.Equal(HttpStatusCode.Conflict, other.StatusCode);
        Assert.Equal("idempotency_key_reused", (await Json(other)).GetProperty("code").GetString());
        var search = await Json(await op.GetAsync("/api/batteries/passports", Ct));
        Assert.Single(search.GetProperty("passports").EnumerateArray());
    }

    [Fact]
    public async Task Published_samples_import_over_http_and_the_broken_one_is_refused_at_its_path()
    {
        await using var factory = await BatteriesFactory.StartAsync(TestDatabase.Sqlite);
        var op = factory.Client("operator");
        JsonNode Sample(string file) => JsonNode.Parse(JsonSchema.DecodeText(File.ReadAllBytes(TestData.Path("batteries", "schemas", "batterypass-1.2", file))))!;

        var ok = await op.PostAsync("/api/batteries/passports/import", Body(new
        {
            format = "batterypass-1.2",
            documents = new JsonObject { ["GeneralProductInformation"] = Sample("GeneralProductInformation-payload.json"), ["Labels"] = Sample("Labeling-payload.json") },
        }), Ct);
        Assert.Equal(HttpStatusCode.Created, ok.StatusCode);
        Assert.Equal("urn:bmwk:123456687678", (await Json(ok)).GetProperty("passport").GetProperty("head").GetProperty("id").GetString());

        var broken = await op.PostAsync("/api/batteries/passports/import", Body(new
        {
            format = "batterypass-1.2",
            documents = new JsonObject { ["MaterialComposition"] = Sample("MaterialComposition-payload.json") },
        }), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, broken.StatusCode);
        var errors = (await Json(broken)).GetProperty("errors");
        Assert.Equal(@"'7439-93-2 ' does not match the pattern ^\d{2,7}-\d{2}-\d{1}$",
            errors.GetProperty("$.documents.MaterialComposition.batteryMaterials[0].batteryMaterialIdentifier")[0].GetString());

        var catenaX = JsonNode.Parse(File.ReadAllText(TestData.Path("batteries", "schemas", "catenax-battery_pass-6.1.0", "BatteryPass.json")));
        var cx = await op.PostAsync("/api/batteries/passports/import", Body(new { format = "catenax-6.1", document = catenaX }), Ct);
        Assert.Equal(HttpStatusCode.Created, cx.StatusCode);
        Assert.Contains((await Json(cx)).GetProperty("notes").EnumerateArray(), n => n.GetString()!.Contains("7172-75-08 is not a calendar date", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Exports_validate_against_the_published_schemas_for_the_operator()
    {
        await using var factory = await BatteriesFactory.StartAsync(TestDatabase.Sqlite);
        var id = await factory.SamplePassportAsync();
        var op = factory.Client("operator");
        var export = await Json(await op.GetAsync($"/api/batteries/passports/{id}/export/batterypass", Ct));
        Assert.All(export.GetProperty("documents").EnumerateArray(), d => Assert.True(d.GetProperty("valid").GetBoolean(), d.GetProperty("name").GetString()));
        var one = await op.GetAsync($"/api/batteries/passports/{id}/export/batterypass/MaterialComposition", Ct);
        Assert.Equal("true", one.Headers.GetValues("Socle-Schema-Valid").Single());
        var cx = await op.GetAsync($"/api/batteries/passports/{id}/export/catenax", Ct);
        Assert.Equal("true", cx.Headers.GetValues("Socle-Schema-Valid").Single());
        var validate = await Json(await factory.Client().PostAsync($"/api/batteries/validate?schema=catenax-6.1.0/battery-pass",
            new StringContent(await cx.Content.ReadAsStringAsync(Ct), Encoding.UTF8, "application/json"), Ct));
        Assert.True(validate.GetProperty("valid").GetBoolean());
    }

    [Theory, StorageProviders]
    public async Task Search_is_for_authorities_and_hides_statuses_from_those_who_may_not_see_them(string provider)
    {
        await using var factory = await BatteriesFactory.StartAsync(provider);
        var id = await factory.SamplePassportAsync();
        await factory.SamplePassportAsync(SamplePassports.EvLfp);
        var authority = factory.Client("authority");
        var all = await Json(await authority.GetAsync("/api/batteries/passports?chemistry=NMC811", Ct));
        var hit = Assert.Single(all.GetProperty("passports").EnumerateArray());
        Assert.Equal(id, hit.GetProperty("passportId").GetString());
        Assert.Equal(JsonValueKind.Null, hit.GetProperty("status").ValueKind);
        var byStatus = await authority.GetAsync("/api/batteries/passports?status=Waste", Ct);
        Assert.Equal(HttpStatusCode.BadRequest, byStatus.StatusCode);
        Assert.Contains("status", (await Json(byStatus)).GetProperty("errors").EnumerateObject().Select(e => e.Name));
        Assert.Equal(HttpStatusCode.BadRequest, (await factory.Client("repairer").GetAsync("/api/batteries/passports", Ct)).StatusCode);
        var repairer = await Json(await factory.Client("repairer").GetAsync("/api/batteries/passports?batteryId=(01)03770031220018(21)NMC75-000001", Ct));
        Assert.Equal("Original", repairer.GetProperty("passports")[0].GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, (await factory.Client().GetAsync("/api/batteries/passports", Ct)).StatusCode);
    }

    [Fact]
    public async Task Status_changes_over_http_follow_the_rules()
    {
        await using var factory = await BatteriesFactory.StartAsync(TestDatabase.Sqlite);
        var id = await factory.SamplePassportAsync();
        var refused = await factory.Client("operator").PostAsync($"/api/batteries/passports/{id}/status", Body(new { change = "recycle" }), Ct);
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Equal("invalid_transition", (await Json(refused)).GetProperty("code").GetString());
        var repurposed = await factory.Client("other-operator").PostAsync($"/api/batteries/passports/{id}/status", Body(new { change = "repurpose" }), Ct);
        Assert.Equal(HttpStatusCode.OK, repurposed.StatusCode);
        var successor = (await Json(repurposed)).GetProperty("successor").GetProperty("head").GetProperty("id").GetString()!;
        var view = await Json(await factory.Client("other-operator").GetAsync($"/api/batteries/passports/{successor}", Ct));
        Assert.Equal(id, view.GetProperty("registry").GetProperty("predecessor").GetString());
        Assert.Equal("Repurposed", view.GetProperty("registry").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Footprint_circularity_and_planner_answer_over_http()
    {
        await using var factory = await BatteriesFactory.StartAsync(TestDatabase.Sqlite);
        var client = factory.Client();
        var footprintResponse = await client.PostAsync("/api/batteries/footprint",
            new StringContent(SampleFootprints.Text(SampleFootprints.Nmc811), Encoding.UTF8, "application/json"), Ct);
        var footprint = await Json(footprintResponse);
        Assert.Equal(5250, footprint.GetProperty("total_kgco2e").GetDouble(), 6);
        Assert.Equal("C", footprint.GetProperty("performanceClass").GetString());
        var bad = await client.PostAsync("/api/batteries/footprint", Body(new { ratedEnergy_kwh = 0 }), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);

        var content = await Json(await client.PostAsync("/api/batteries/circularity/recycled-content",
            Body(new { category = "ev", metals = new[] { "Cobalt", "Lithium", "Nickel" }, shares = new { Cobalt = 16.0, Lithium = 6.0, Nickel = 5.9 }, at = "2031-08-18" }), Ct));
        Assert.Equal("fail", content.GetProperty("outcome").GetString());
        var plan = await Json(await client.GetAsync("/api/batteries/plan/eu-2030-halved", Ct));
        var y2030 = plan.GetProperty("years").EnumerateArray().Single(y => y.GetProperty("year").GetInt32() == 2030);
        Assert.Equal(275, y2030.GetProperty("batteryImports_gwh").GetDouble(), 6);
        var report = await factory.Client("recycler").PostAsync("/api/batteries/recycling-reports", Body(new
        {
            periodStart = "2028-01-01", periodEnd = "2028-12-31", batteryType = "lithium", input_kg = 1000, recycledOutput_kg = 700,
            metals = new[] { new { metal = "Lithium", input_kg = 20.0, recovered_kg = 9.0 } },
        }), Ct);
        Assert.Equal(HttpStatusCode.Created, report.StatusCode);
        Assert.Equal("fail", (await Json(report)).GetProperty("result").GetProperty("outcome").GetString()); // lithium 45 % < 50 %
        Assert.Equal(HttpStatusCode.Forbidden, (await factory.Client("repairer").PostAsync("/api/batteries/recycling-reports", Body(new { }), Ct)).StatusCode);
        var reports = await Json(await factory.Client("commission").GetAsync("/api/batteries/recycling-reports", Ct));
        Assert.Single(reports.EnumerateArray());
    }

    [Fact]
    public async Task The_api_is_in_openapi()
    {
        await using var factory = await BatteriesFactory.StartAsync(TestDatabase.Sqlite);
        using var doc = JsonDocument.Parse(await factory.Client().GetStringAsync("/openapi/v1.json", Ct));
        var paths = doc.RootElement.GetProperty("paths");
        foreach (var path in new[] { "/api/batteries/passports", "/api/batteries/passports/{id}", "/api/batteries/footprint", "/api/batteries/plan", "/batteries/p/{id}" })
        {
            Assert.True(paths.TryGetProperty(path, out _), path);
        }
    }
}
