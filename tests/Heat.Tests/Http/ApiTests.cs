using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Socle.Modules.Heat.Scenarios;
using Socle.Testing;

namespace Socle.Heat.Tests.Http;

public class ApiTests
{
    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, StorageProviders]
    public async Task A_scenario_is_created_run_and_read_back_through_the_API(string provider)
    {
        await using var factory = await HeatFactory.StartAsync(provider);
        var editor = factory.Editor();
        var scenario = ShippedScenarios.Find("mesnil-esnard")!;

        var created = await editor.PostAsync("/api/heat/scenarios", Json(scenario.ToJson()), Ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("\"1\"", created.Headers.ETag!.Tag);

        var run = new HttpRequestMessage(HttpMethod.Post, "/api/heat/scenarios/mesnil-esnard/runs");
        run.Headers.Add("Idempotency-Key", "run-once-42");
        var ran = await editor.SendAsync(run, Ct);
        Assert.Equal(HttpStatusCode.Created, ran.StatusCode);
        using var report = JsonDocument.Parse(await ran.Content.ReadAsStringAsync(Ct));
        var runId = report.RootElement.GetProperty("run_id").GetString();
        var delivered = report.RootElement.GetProperty("indicators").GetProperty("delivered_mwh").GetDouble();
        Assert.Equal(690, delivered, 1.0);

        // a retry with the same key returns the same run, computed once
        var again = new HttpRequestMessage(HttpMethod.Post, "/api/heat/scenarios/mesnil-esnard/runs");
        again.Headers.Add("Idempotency-Key", "run-once-42");
        var replay = await editor.SendAsync(again, Ct);
        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        using var replayed = JsonDocument.Parse(await replay.Content.ReadAsStringAsync(Ct));
        Assert.Equal(runId, replayed.RootElement.GetProperty("run_id").GetString());
        var runs = JsonDocument.Parse(await factory.CreateClient().GetStringAsync("/api/heat/scenarios/mesnil-esnard/runs", Ct));
        Assert.Equal(1, runs.RootElement.GetArrayLength());

        // anyone can read the run and its hours
        var reader = factory.CreateClient();
        var csv = await reader.GetStringAsync($"/api/heat/runs/{runId}/hourly.csv", Ct);
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(8761, lines.Length);
        Assert.StartsWith("time,outdoor_c,supply_c", lines[0]);
        Assert.Contains("unit:biomasse", lines[0]);
        var list = JsonDocument.Parse(await reader.GetStringAsync("/api/heat/scenarios", Ct));
        Assert.Equal(runId, list.RootElement[0].GetProperty("last_run").GetProperty("run_id").GetString());
    }

    [Fact]
    public async Task Writes_need_the_editor_key_and_reads_do_not()
    {
        await using var factory = await HeatFactory.StartAsync(TestDatabase.Sqlite);
        var anonymous = factory.CreateClient();
        var scenario = ShippedScenarios.Find("mesnil-esnard")!.ToJson();
        var refused = await anonymous.PostAsync("/api/heat/scenarios", Json(scenario), Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Contains("Bearer", refused.Headers.WwwAuthenticate.ToString());
        var wrong = factory.CreateClient();
        wrong.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "not-the-key-but-long-enough");
        Assert.Equal(HttpStatusCode.Unauthorized, (await wrong.PostAsync("/api/heat/scenarios", Json(scenario), Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsync("/api/heat/scenarios/x/runs", null, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/api/heat/scenarios", Ct)).StatusCode);
    }

    [Fact]
    public async Task Reads_can_be_closed_too()
    {
        await using var factory = await HeatFactory.StartAsync(TestDatabase.Sqlite, ("Socle:Heat:RequireKeyToRead", "true"));
        Assert.Equal(HttpStatusCode.Unauthorized, (await factory.CreateClient().GetAsync("/api/heat/scenarios", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await factory.Editor().GetAsync("/api/heat/scenarios", Ct)).StatusCode);
    }

    [Fact]
    public async Task Bad_input_names_the_field_and_stores_nothing()
    {
        await using var factory = await HeatFactory.StartAsync(TestDatabase.Sqlite);
        var editor = factory.Editor();
        var s = Builders.Street();
        var bad = s with { Network = s.Network with { Pipes = [s.Network.Pipes[0] with { Length_m = -3 }, .. s.Network.Pipes.Skip(1)] } };
        var response = await editor.PostAsync("/api/heat/scenarios", Json(bad.ToJson()), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty("pipes[p0].length_m", out _));
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);

        var syntax = await editor.PostAsync("/api/heat/scenarios", Json("{\"id\": \"x\", \"production\": [{\"capacity_kw\": \"lots\"}]}"), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, syntax.StatusCode);
        Assert.Contains("$.production[0].capacity_kw", await syntax.Content.ReadAsStringAsync(Ct));

        var list = JsonDocument.Parse(await editor.GetStringAsync("/api/heat/scenarios", Ct));
        Assert.Equal(0, list.RootElement.GetArrayLength());
    }

    [Fact]
    public async Task A_stale_version_is_a_conflict_not_a_silent_overwrite()
    {
        await using var factory = await HeatFactory.StartAsync(TestDatabase.Sqlite);
        var editor = factory.Editor();
        var s = Builders.Street();
        Assert.Equal(HttpStatusCode.Created, (await editor.PostAsync("/api/heat/scenarios", Json(s.ToJson()), Ct)).StatusCode);
        async Task<HttpResponseMessage> Put(Scenario doc, string version)
        {
            var request = new HttpRequestMessage(HttpMethod.Put, "/api/heat/scenarios/street") { Content = Json(doc.ToJson()) };
            request.Headers.TryAddWithoutValidation("If-Match", $"\"{version}\"");
            return await editor.SendAsync(request, Ct);
        }
        var first = await Put(s with { Name = "Alice's change" }, "1");
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("\"2\"", first.Headers.ETag!.Tag);
        var second = await Put(s with { Name = "Bob's change" }, "1");
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        var stored = JsonDocument.Parse(await editor.GetStringAsync("/api/heat/scenarios/street", Ct));
        Assert.Equal("Alice's change", stored.RootElement.GetProperty("name").GetString());
        var missing = new HttpRequestMessage(HttpMethod.Put, "/api/heat/scenarios/street") { Content = Json(s.ToJson()) };
        Assert.Equal(HttpStatusCode.BadRequest, (await editor.SendAsync(missing, Ct)).StatusCode);
    }

    [Fact]
    public async Task Creating_the_same_scenario_twice_is_safe_and_a_different_one_under_the_same_id_conflicts()
    {
        await using var factory = await HeatFactory.StartAsync(TestDatabase.Sqlite);
        var editor = factory.Editor();
        var s = Builders.Street();
        Assert.Equal(HttpStatusCode.Created, (await editor.PostAsync("/api/heat/scenarios", Json(s.ToJson()), Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await editor.PostAsync("/api/heat/scenarios", Json(s.ToJson()), Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await editor.PostAsync("/api/heat/scenarios", Json((s with { Name = "Other" }).ToJson()), Ct)).StatusCode);
    }

    [Fact]
    public async Task The_API_is_described_in_OpenAPI()
    {
        await using var factory = await HeatFactory.StartAsync(TestDatabase.Sqlite);
        var json = await factory.CreateClient().GetStringAsync("/openapi/v1.json", Ct);
        Assert.Contains("/api/heat/scenarios/{id}/runs", json);
        Assert.Contains("/api/heat/connection-check", json);
        Assert.Contains("/api/heat/import/pandapipes", json);
    }
}
