using System.Net;
using System.Text;
using System.Text.Json;
using Socle.Modules.Heat.Forecast;
using Socle.Modules.Heat.Scenarios;
using Socle.Modules.Heat.Studies;
using Socle.Heat.Tests.Http;
using Socle.Testing;

namespace Socle.Heat.Tests.Studies;

public class StudyTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    [Fact]
    public async Task Low_temperature_operation_cuts_losses()
    {
        await using var factory = await HeatFactory.StartAsync(TestDatabase.Sqlite);
        var editor = factory.Editor();
        await editor.PostAsync("/api/heat/scenarios", Json(ShippedScenarios.Find("mesnil-esnard")!.ToJson()), Ct);
        var response = await editor.PostAsync("/api/heat/scenarios/mesnil-esnard/studies/low-temperature", Json("{\"supply_drop_k\": 15, \"return_drop_k\": 10}"), Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        var baseLoss = doc.RootElement.GetProperty("base").GetProperty("network_loss_mwh").GetDouble();
        var variant = doc.RootElement.GetProperty("variants")[0];
        var lowLoss = variant.GetProperty("summary").GetProperty("network_loss_mwh").GetDouble();
        Assert.True(lowLoss < 0.85 * baseLoss, $"{lowLoss} vs {baseLoss}");
        Assert.Equal(690, variant.GetProperty("summary").GetProperty("delivered_mwh").GetDouble(), 1.0);
    }

    [Fact]
    public async Task Densification_adds_deliveries_cheaply_and_extension_costs_more_per_MWh()
    {
        await using var factory = await HeatFactory.StartAsync(TestDatabase.Sqlite);
        var editor = factory.Editor();
        await editor.PostAsync("/api/heat/scenarios", Json(ShippedScenarios.Find("mesnil-esnard")!.ToJson()), Ct);
        var request = new DensificationRequest
        {
            Densification =
            [
                new Candidate { Id = "gymnase", Name = "Gymnase", Subscriber = SubscriberType.Public, Subscribed_kw = 80, Heating_mwh = 90, HotWater_mwh = 10, Node = "n2", Service_m = 25 },
                new Candidate { Id = "residence", Name = "Résidence", Subscriber = SubscriberType.Housing, Subscribed_kw = 100, Heating_mwh = 110, HotWater_mwh = 25, Node = "n3", Service_m = 15 },
            ],
            Extension = new Extension
            {
                Nodes = [new NetworkNode { Id = "e1", X_m = 600, Y_m = 40 }, new NetworkNode { Id = "e2", X_m = 800, Y_m = 40 }],
                Pipes = [new NetworkPipe { Id = "ext-1", From = "n3", To = "e1", Dn = 50, Length_m = 260 }, new NetworkPipe { Id = "ext-2", From = "e1", To = "e2", Dn = 40, Length_m = 200 }],
                Buildings =
                [
                    new Candidate { Id = "college", Name = "Collège", Subscriber = SubscriberType.Public, Subscribed_kw = 80, Heating_mwh = 90, HotWater_mwh = 10, Node = "e1" },
                    new Candidate { Id = "ehpad", Name = "EHPAD", Subscriber = SubscriberType.Housing, Subscribed_kw = 100, Heating_mwh = 110, HotWater_mwh = 25, Node = "e2" },
                ],
            },
        };
        var response = await editor.PostAsync("/api/heat/scenarios/mesnil-esnard/studies/densification", Json(JsonSerializer.Serialize(request, Scenario.Json)), Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        var baseDensity = doc.RootElement.GetProperty("base").GetProperty("linear_density_mwh_per_m").GetDouble();
        var densify = doc.RootElement.GetProperty("variants")[0];
        var extend = doc.RootElement.GetProperty("variants")[1];
        // the same 235 MWh of new demand either way
        Assert.Equal(235, densify.GetProperty("added_delivered_mwh").GetDouble(), 1.0);
        Assert.Equal(235, extend.GetProperty("added_delivered_mwh").GetDouble(), 1.0);
        Assert.True(densify.GetProperty("summary").GetProperty("linear_density_mwh_per_m").GetDouble() > baseDensity);
        Assert.True(extend.GetProperty("summary").GetProperty("linear_density_mwh_per_m").GetDouble() < densify.GetProperty("summary").GetProperty("linear_density_mwh_per_m").GetDouble());
        Assert.True(extend.GetProperty("added_investment_eur").GetDouble() > densify.GetProperty("added_investment_eur").GetDouble());
        Assert.True(extend.GetProperty("cost_of_added_heat_eur_per_mwh").GetDouble() > densify.GetProperty("cost_of_added_heat_eur_per_mwh").GetDouble());
    }

    [Fact]
    public async Task A_densification_on_a_node_that_does_not_exist_is_refused_by_name()
    {
        await using var factory = await HeatFactory.StartAsync(TestDatabase.Sqlite);
        var editor = factory.Editor();
        await editor.PostAsync("/api/heat/scenarios", Json(ShippedScenarios.Find("mesnil-esnard")!.ToJson()), Ct);
        var response = await editor.PostAsync("/api/heat/scenarios/mesnil-esnard/studies/densification",
            Json("{\"densification\": [{\"id\": \"x\", \"node\": \"nowhere\", \"subscribed_kw\": 50, \"heating_mwh\": 50}]}"), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("densification[x].node", await response.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public void The_forecast_recovers_a_known_load_law_and_reports_its_back_tested_error()
    {
        // a synthetic history: load = 100 + 20·max(0, 17 − T) + 30 in working-day mornings, plus noise (σ = 5 kW)
        var random = new Random(3);
        const int days = 120;
        var temperature = new double[days * 24];
        var load = new double[days * 24];
        var dayTypes = Socle.Modules.Heat.Demand.Calendar.DayTypes(2025);
        for (var h = 0; h < temperature.Length; h++)
        {
            var d = h / 24;
            temperature[h] = 5 + 6 * Math.Sin(2 * Math.PI * (h % 24 - 9) / 24) + 4 * Math.Sin(d / 5.0);
            var morning = dayTypes[d] <= 4 && h % 24 is >= 6 and < 10 ? 30 : 0;
            load[h] = 100 + 20 * Math.Max(0, 17 - temperature[h]) + morning + 5 * (random.NextDouble() - 0.5) * 3.46;
        }
        var next = Enumerable.Range(0, 24).Select(h => 2 + 3 * Math.Sin(2 * Math.PI * (h - 9) / 24.0)).ToArray();
        var f = LoadForecaster.Forecast(new LoadHistory(2025, load, temperature), next).Value;
        // day 120 of 2025 is Thursday 1 May, a public holiday: no morning boost
        for (var h = 0; h < 24; h++)
        {
            var expected = 100 + 20 * Math.Max(0, 17 - next[h]);
            Assert.Equal(expected, f.Load_kw[h], expected * 0.03);
        }
        Assert.InRange(f.Backtest.Mape, 0, 0.02);
        Assert.InRange(f.Backtest.Rmse_kw, 3, 8); // the noise itself is 5 kW
        Assert.Equal(28, f.Backtest.Days);
    }

    [Fact]
    public async Task The_forecast_of_a_simulated_network_anticipates_a_colder_day_with_a_higher_peak()
    {
        await using var factory = await HeatFactory.StartAsync(TestDatabase.Sqlite);
        var editor = factory.Editor();
        await editor.PostAsync("/api/heat/scenarios", Json(ShippedScenarios.Find("mesnil-esnard")!.ToJson()), Ct);
        await editor.PostAsync("/api/heat/scenarios/mesnil-esnard/runs", null, Ct);
        async Task<double> Peak(double t)
        {
            var body = JsonSerializer.Serialize(new { forecast_c = Enumerable.Repeat(t, 24).ToArray() });
            var response = await factory.CreateClient().PostAsync("/api/heat/scenarios/mesnil-esnard/forecast", Json(body), Ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
            Assert.True(doc.RootElement.GetProperty("backtest").GetProperty("mape").GetDouble() < 0.25);
            return doc.RootElement.GetProperty("peak_kw").GetDouble();
        }
        Assert.True(await Peak(-5) > await Peak(8) + 50);
    }
}
