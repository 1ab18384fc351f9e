using Socle.Modules.Batteries.Demo;
using Socle.Modules.Batteries.Parties;
using Socle.Modules.Batteries.Passports;
using Socle.Platform;
using Socle.Testing;

namespace Socle.Batteries.Tests.Registry;

public class StatusTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    // from Original
    [InlineData(BatteryStatus.Original, StatusChange.Reuse, true)]
    [InlineData(BatteryStatus.Original, StatusChange.Repurpose, true)]
    [InlineData(BatteryStatus.Original, StatusChange.Remanufacture, true)]
    [InlineData(BatteryStatus.Original, StatusChange.Discard, true)]
    [InlineData(BatteryStatus.Original, StatusChange.Recycle, false)]
    // from Reused (a repair is recorded as re-use, again and again)
    [InlineData(BatteryStatus.Reused, StatusChange.Reuse, true)]
    [InlineData(BatteryStatus.Reused, StatusChange.Repurpose, true)]
    [InlineData(BatteryStatus.Reused, StatusChange.Discard, true)]
    [InlineData(BatteryStatus.Reused, StatusChange.Recycle, false)]
    // from a second life
    [InlineData(BatteryStatus.Repurposed, StatusChange.Reuse, true)]
    [InlineData(BatteryStatus.Remanufactured, StatusChange.Repurpose, true)]
    [InlineData(BatteryStatus.Repurposed, StatusChange.Discard, true)]
    // Waste is only followed by recycling
    [InlineData(BatteryStatus.Waste, StatusChange.Reuse, false)]
    [InlineData(BatteryStatus.Waste, StatusChange.Repurpose, false)]
    [InlineData(BatteryStatus.Waste, StatusChange.Remanufacture, false)]
    [InlineData(BatteryStatus.Waste, StatusChange.Discard, false)]
    [InlineData(BatteryStatus.Waste, StatusChange.Recycle, true)]
    public void The_transition_table(BatteryStatus from, StatusChange change, bool allowed)
    {
        Assert.Equal(allowed, StatusTransitions.Refusal(from, PassportLifecycle.Active, change) is null);
        Assert.NotNull(StatusTransitions.Refusal(from, PassportLifecycle.Superseded, change));
        Assert.NotNull(StatusTransitions.Refusal(from, PassportLifecycle.Ended, change));
    }

    [Theory, StorageProviders]
    public async Task Original_to_reused_to_repurposed_to_waste_to_recycled(string provider)
    {
        await using var host = await BatteriesHost.StartAsync(provider);
        var maker = await host.OperatorAsync();
        var repairer = await host.PartyAsync(PartyRole.LegitimateInterest, "Garage Réparation", new PartyProfile { Interest = "repairer" });
        var secondLife = await host.OperatorAsync("Stockage Seconde Vie");
        var recycler = await host.PartyAsync(PartyRole.LegitimateInterest, "Recyclage Hauts-de-France", new PartyProfile { Interest = "recycler" });
        var id = (await host.Registry.CreateAsync(maker, SamplePassports.Load(SamplePassports.EvNmc811), CreateMode.Create, null, Ct)).Value.Head.Id;

        var reused = await host.Registry.ChangeStatusAsync(repairer, id, StatusChange.Reuse, null, null, Ct);
        Assert.True(reused.IsSuccess, reused.Error?.Message);
        Assert.Equal(BatteryStatus.Reused, reused.Value.Passport.Head.Status);
        Assert.Equal(repairer.Id, reused.Value.Passport.Version.SignedBy);

        var repurposed = await host.Registry.ChangeStatusAsync(secondLife, id, StatusChange.Repurpose, null, null, Ct);
        Assert.True(repurposed.IsSuccess, repurposed.Error?.Message);
        var old = repurposed.Value.Passport.Head;
        var successor = repurposed.Value.Successor!.Head;
        Assert.Equal(PassportLifecycle.Superseded, old.Lifecycle);
        Assert.Equal(successor.Id, old.SuccessorId);
        Assert.Equal(id, successor.PredecessorId);
        Assert.Equal(secondLife.Id, successor.OperatorId);
        Assert.Equal(BatteryStatus.Repurposed, successor.Status);
        Assert.Equal(old.BatteryId, successor.BatteryId);
        var successorDoc = (await host.Registry.ReadAsync(successor.Id, null, Ct))!.Value.Document;
        Assert.Equal("Stockage Seconde Vie", PassportContent.Text(successorDoc.Content, "generalProductInformation.operatorInformation.contactName"));
        Assert.Equal(successor.Id, PassportContent.Text(successorDoc.Content, "generalProductInformation.batteryPassportIdentifier"));
        Assert.Equal(successor.Id, await host.Registry.ActivePassportOfAsync(old.BatteryId, Ct));

        // the superseded passport takes no change
        var late = await host.Registry.ChangeStatusAsync(maker, id, StatusChange.Discard, null, null, Ct);
        Assert.Equal("invalid_transition", late.Error!.Code);

        // a repairer cannot recycle; a recycler can, once the battery is waste
        Assert.Equal(ErrorKind.Forbidden, (await host.Registry.ChangeStatusAsync(repairer, successor.Id, StatusChange.Recycle, null, null, Ct)).Error!.Kind);
        Assert.Equal("invalid_transition", (await host.Registry.ChangeStatusAsync(recycler, successor.Id, StatusChange.Recycle, null, null, Ct)).Error!.Code);
        Assert.True((await host.Registry.ChangeStatusAsync(recycler, successor.Id, StatusChange.Discard, null, null, Ct)).IsSuccess);
        Assert.Equal("invalid_transition", (await host.Registry.ChangeStatusAsync(secondLife, successor.Id, StatusChange.Reuse, null, null, Ct)).Error!.Code);
        var recycled = await host.Registry.ChangeStatusAsync(recycler, successor.Id, StatusChange.Recycle, null, null, Ct);
        Assert.True(recycled.IsSuccess, recycled.Error?.Message);
        Assert.Equal(PassportLifecycle.Ended, recycled.Value.Passport.Head.Lifecycle);
        Assert.Null(await host.Registry.ActivePassportOfAsync(old.BatteryId, Ct));
        Assert.Equal("invalid_transition", (await host.Registry.ChangeStatusAsync(recycler, successor.Id, StatusChange.Recycle, null, null, Ct)).Error!.Code);

        foreach (var passport in new[] { id, successor.Id })
        {
            var report = await host.Registry.VerifyAsync(passport, Ct);
            Assert.True(report!.Ok, string.Join("; ", report.Problems));
        }
    }

    [Theory, StorageProviders]
    public async Task Only_the_operator_or_a_legitimate_interest_changes_a_status(string provider)
    {
        await using var host = await BatteriesHost.StartAsync(provider);
        var maker = await host.OperatorAsync();
        var other = await host.OperatorAsync("Concurrent");
        var authority = await host.PartyAsync(PartyRole.MarketSurveillance, "DGCCRF");
        var id = (await host.Registry.CreateAsync(maker, SamplePassports.Load(SamplePassports.EvLfp), CreateMode.Create, null, Ct)).Value.Head.Id;
        Assert.Equal(ErrorKind.Forbidden, (await host.Registry.ChangeStatusAsync(other, id, StatusChange.Discard, null, null, Ct)).Error!.Kind);
        Assert.Equal(ErrorKind.Forbidden, (await host.Registry.ChangeStatusAsync(authority, id, StatusChange.Reuse, null, null, Ct)).Error!.Kind);
        Assert.Equal(ErrorKind.NotFound, (await host.Registry.ChangeStatusAsync(maker, "urn:socle:nothing", StatusChange.Reuse, null, null, Ct)).Error!.Kind);
        Assert.Equal(ErrorKind.Validation, (await host.Registry.ChangeStatusAsync(maker, id, StatusChange.Reuse, "(01)03770031220032(21)NEW", null, Ct)).Error!.Kind);
    }

    [Theory, StorageProviders]
    public async Task Remanufacturing_can_give_the_battery_a_new_identifier(string provider)
    {
        await using var host = await BatteriesHost.StartAsync(provider);
        var maker = await host.OperatorAsync();
        var reman = await host.OperatorAsync("Reman Batteries");
        var id = (await host.Registry.CreateAsync(maker, SamplePassports.Load(SamplePassports.EvLfp), CreateMode.Create, null, Ct)).Value.Head.Id;
        var result = await host.Registry.ChangeStatusAsync(reman, id, StatusChange.Remanufacture, "(01)03770031220032(21)RM-0001", null, Ct);
        Assert.True(result.IsSuccess, result.Error?.Message);
        Assert.Equal("(01)03770031220032(21)RM-0001", result.Value.Successor!.Head.BatteryId);
        Assert.Equal(BatteryStatus.Remanufactured, result.Value.Successor.Head.Status);
        Assert.Equal("remanufactured", result.Value.Successor.Version.Change);
    }
}
