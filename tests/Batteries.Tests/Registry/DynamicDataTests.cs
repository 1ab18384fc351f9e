using Socle.Modules.Batteries.Demo;
using Socle.Modules.Batteries.Passports;
using Socle.Testing;

namespace Socle.Batteries.Tests.Registry;

public class DynamicDataTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    // DIN DKE SPEC 99100 / ISO 12405-4: fade is 1 - C(x)/C_BOL, not C(x)/C_BOL
    [InlineData(214, 192.6, 10)]
    [InlineData(156, 156, 0)]
    [InlineData(100, 70, 30)]
    public void Capacity_fade_is_one_minus_remaining_over_beginning_of_life(double bol, double now, double fade_pct)
    {
        Assert.Equal(fade_pct, StateOfHealth.CapacityFade_pct(now, bol), 9);
    }

    [Fact]
    public void Resistance_increase_power_fade_soce_and_efficiency_fade_follow_their_definitions()
    {
        Assert.Equal(25, StateOfHealth.ResistanceIncrease_pct(0.15, 0.12), 9);            // (0.15 - 0.12) / 0.12
        Assert.Equal(-10, StateOfHealth.ResistanceIncrease_pct(0.108, 0.12), 9);
        Assert.Equal(10, StateOfHealth.PowerFade_pct(189_000, 210_000), 9);                // 1 - 189/210
        Assert.Equal(92, StateOfHealth.StateOfCertifiedEnergy_pct(69, 75), 9);             // 69 / 75
        Assert.Equal(2.105263157894737, StateOfHealth.RoundTripEfficiencyFade_pct(93, 95), 12); // 1 - 93/95
    }

    [Theory, StorageProviders]
    public async Task A_reading_becomes_a_version_with_din_parameters_and_a_time_series(string provider)
    {
        await using var host = await BatteriesHost.StartAsync(provider);
        var op = await host.OperatorAsync();
        var id = (await host.Registry.CreateAsync(op, SamplePassports.Load(SamplePassports.EvNmc811), CreateMode.Create, null, Ct)).Value.Head.Id;
        var at = host.Clock.GetUtcNow().AddHours(-1);

        var result = await host.Registry.AppendDynamicAsync(op, id, new DynamicReading
        {
            MeasuredAt = at,
            StateOfCharge_pct = 80,
            RemainingCapacity_ah = 192.6,
            RemainingEnergy_kwh = 69,
            InternalResistance_ohm = 0.15,
            RemainingPower_w = 189_000,
            PowerAtStateOfCharge_pct = 80,
            RoundTripEfficiency_pct = 93,
            FullCycles = 420,
            EnergyThroughput_kwh = 31_500,
            NegativeEvent = "Deep discharge to 2.5 V/cell during storage",
        }, null, Ct);

        Assert.True(result.IsSuccess, result.Error?.Message);
        Assert.Equal("dynamic", result.Value.Version.Change);
        var content = (await host.Registry.ReadAsync(id, null, Ct))!.Value.Document.Content;
        const string C = "performance.batteryCondition";
        Assert.Equal(10, PassportContent.Number(content, $"{C}.capacityFade.capacityFadeValue")!.Value, 6);
        Assert.Equal(92, PassportContent.Number(content, $"{C}.stateOfCertifiedEnergy.stateOfCertifiedEnergyValue")!.Value, 6);
        Assert.Equal(10, PassportContent.Number(content, "performance.batteryTechicalProperties.powerFade")!.Value, 6);
        Assert.Equal(2.105263, PassportContent.Number(content, "performance.batteryTechicalProperties.roundTripEfficiencyFade")!.Value, 6);
        Assert.Equal(420, PassportContent.Number(content, $"{C}.numberOfFullCycles.numberOfFullCyclesValue"));
        Assert.Equal(Platform.Storage.Sql.Time(at), PassportContent.Text(content, $"{C}.stateOfCharge.lastUpdate"));
        var resistance = PassportContent.At(content, $"{C}.internalResistanceIncrease")!.Value;
        var pack = Assert.Single(resistance.EnumerateArray(), r => r.GetProperty("batteryComponent").GetString() == "pack");
        Assert.Equal(25, pack.GetProperty("internalResistanceIncreaseValue").GetDouble(), 6);
        Assert.Equal(0, resistance.EnumerateArray().Single(r => r.GetProperty("batteryComponent").GetString() == "cell").GetProperty("internalResistanceIncreaseValue").GetDouble());
        var events = PassportContent.At(content, $"{C}.negativeEvents")!.Value;
        Assert.Equal("Deep discharge to 2.5 V/cell during storage", events[0].GetProperty("negativeEvent").GetString());

        var readings = await host.Registry.ReadingsAsync(id, Ct);
        Assert.Equal(10, readings.Count);
        Assert.All(readings, r => Assert.Equal(2, r.Version));
        Assert.Contains(readings, r => r.Attribute == "remainingCapacity_ah" && r.Value == "192.6");
        Assert.True((await host.Registry.VerifyAsync(id, Ct))!.Ok);
    }

    [Theory, StorageProviders]
    public async Task Cumulated_counters_never_go_back_and_readings_come_in_time_order(string provider)
    {
        await using var host = await BatteriesHost.StartAsync(provider);
        var op = await host.OperatorAsync();
        var id = (await host.Registry.CreateAsync(op, SamplePassports.Load(SamplePassports.EvNmc811), CreateMode.Create, null, Ct)).Value.Head.Id;
        var now = host.Clock.GetUtcNow();
        Assert.True((await host.Registry.AppendDynamicAsync(op, id, new DynamicReading { MeasuredAt = now.AddHours(-2), FullCycles = 500, StateOfCharge_pct = 50 }, null, Ct)).IsSuccess);

        var back = await host.Registry.AppendDynamicAsync(op, id, new DynamicReading { MeasuredAt = now.AddHours(-1), FullCycles = 499 }, null, Ct);
        Assert.Contains("cannot go down from 500 to 499", back.Error!.Fields!["fullCycles"][0]);
        var early = await host.Registry.AppendDynamicAsync(op, id, new DynamicReading { MeasuredAt = now.AddHours(-3), StateOfCharge_pct = 40 }, null, Ct);
        Assert.Contains("before the last recorded measurement", early.Error!.Fields!["measuredAt"][0]);
        var wrong = await host.Registry.AppendDynamicAsync(op, id, new DynamicReading { MeasuredAt = now, StateOfCharge_pct = 104, InternalResistance_ohm = -1 }, null, Ct);
        Assert.Equal(["stateOfCharge_pct", "internalResistance_ohm"], wrong.Error!.Fields!.Keys);
        var empty = await host.Registry.AppendDynamicAsync(op, id, new DynamicReading { MeasuredAt = now }, null, Ct);
        Assert.Contains("holds no measurement", empty.Error!.Fields!["reading"][0]);
        Assert.Equal(2, (await host.Registry.HeadAsync(id, Ct))!.CurrentVersion);
    }
}
