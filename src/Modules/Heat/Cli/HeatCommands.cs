using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Socle.Modules.Heat.Api;
using Socle.Modules.Heat.Import;
using Socle.Modules.Heat.Indicators;
using Socle.Modules.Heat.Scenarios;
using Socle.Modules.Heat.Services;
using Socle.Modules.Heat.Simulation;
using Socle.Modules.Heat.Studies;
using Socle.Modules.Heat.Weather;
using Socle.Platform;
using Socle.Platform.Cli;
using Spectre.Console;

namespace Socle.Modules.Heat.Cli;

/// <summary>
/// <c>socle heat …</c>: simulate a scenario (a file or a stored id) with progress and a summary table, check a building's
/// connection obligation, import and solve a pandapipes network, list, export and compare stored scenarios.
/// </summary>
public static class HeatCommands
{
    public static Command Create(CliContext context)
    {
        var group = new Command("heat", "District heating and cooling networks: simulate, check connection, import pandapipes");
        group.Subcommands.Add(Simulate(context));
        group.Subcommands.Add(CheckConnection(context));
        group.Subcommands.Add(ImportPandapipes(context));
        group.Subcommands.Add(List(context));
        group.Subcommands.Add(Export(context));
        group.Subcommands.Add(Compare(context));
        group.Subcommands.Add(Seed(context));
        return group;
    }

    private static readonly Argument<string> ScenarioArgument = new("scenario")
    {
        Description = "A scenario file (socle-heat-scenario/1 JSON) or the id of a stored or shipped scenario (lisieux, rouen-petite-bouverie, le-havre-sud, mesnil-esnard, …)",
    };

    /// <summary>A scenario named on the command line: a file first, then a stored scenario (with the server's storage), then a shipped one.</summary>
    private static async Task<(Result<Scenario> Scenario, bool Stored, IServiceProvider? Services, IDisposable? Host)> LoadAsync(CliContext context, ParseResult parse, string name, CancellationToken ct)
    {
        if (File.Exists(name))
        {
            var text = await File.ReadAllTextAsync(name, ct);
            return (ShippedScenarios.Parse(text), false, null, null);
        }
        if (name.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
        {
            return (Error.NotFound($"File {Path.GetFullPath(name)}"), false, null, null);
        }
        var host = await context.StartServicesAsync(parse, migrate: true, ct);
        var service = host.Services.GetRequiredService<HeatService>();
        var record = await service.Store.GetAsync(name, ct);
        if (record is not null)
        {
            return (record.Document, true, host.Services, host);
        }
        var shipped = ShippedScenarios.Find(name);
        return shipped is not null
            ? (shipped, false, host.Services, host)
            : (Error.NotFound($"Scenario '{name}' (neither a file nor a stored or shipped scenario; 'socle heat list' shows them)"), false, host.Services, host);
    }

    private static Command Simulate(CliContext context)
    {
        var outDir = new Option<DirectoryInfo?>("--out") { Description = "Write the report (JSON) and the hourly results (CSV and JSON) to this folder" };
        var weatherFile = new Option<FileInfo?>("--weather") { Description = "An hourly weather CSV (temperature_c[, ghi_w_per_m2]) instead of the scenario's climate" };
        var store = new Option<bool>("--store") { Description = "Store the run with the scenario (stored scenarios only)" };
        var command = new Command("simulate", "Simulate a scenario's year hour by hour and print its indicators") { ScenarioArgument, outDir, weatherFile, store };
        command.SetAction(async (parse, ct) =>
        {
            var output = context.Output(parse);
            var (loaded, stored, services, host) = await LoadAsync(context, parse, parse.GetValue(ScenarioArgument)!, ct);
            using var _ = host;
            if (!loaded.IsSuccess)
            {
                return output.Fail(loaded.Error);
            }
            var scenario = loaded.Value;
            var compiled = CompiledScenario.Compile(scenario);
            if (!compiled.IsSuccess)
            {
                return output.Fail(compiled.Error);
            }
            WeatherYear weather;
            if (parse.GetValue(weatherFile) is { } wf)
            {
                if (!wf.Exists)
                {
                    return output.Fail(Error.NotFound($"File {wf.FullName}"));
                }
                var lat = Climates.Find(scenario.Climate.Source)?.Latitude_deg ?? scenario.Climate.Latitude_deg ?? 48.8;
                var read = WeatherYear.FromCsv(wf.Name, await File.ReadAllTextAsync(wf.FullName, ct), lat);
                if (!read.IsSuccess)
                {
                    return output.Fail(read.Error);
                }
                weather = read.Value;
            }
            else
            {
                var resolved = await WeatherSource.ResolveAsync(scenario.Climate.Source,
                    services is null ? null : services.GetRequiredService<HeatService>().Store.GetWeatherAsync, ct);
                if (!resolved.IsSuccess)
                {
                    return output.Fail(resolved.Error);
                }
                weather = resolved.Value;
            }
            output.Info($"{scenario.Name}: {compiled.Value.Network.NodeCount} nodes, {compiled.Value.Network.PipeCount} pipes, {compiled.Value.Substations.Count} substations, weather {weather.Source}");
            var year = await output.ProgressAsync($"simulating {scenario.Id}", WeatherYear.Hours, progress =>
                Task.Run(() => YearSimulation.Run(compiled.Value, weather, new SimulationOptions { Progress = progress }, ct), ct));
            if (!year.IsSuccess)
            {
                return output.Fail(year.Error);
            }
            var indicators = IndicatorCalculator.Compute(year.Value);
            var runId = HeatService.NewRunId();
            var (report, hourly) = Reports.Build(runId, 0, DateTimeOffset.UtcNow, year.Value, indicators);
            if (parse.GetValue(store))
            {
                if (!stored || services is null)
                {
                    return output.Fail(Error.Validation("--store", "only a stored scenario can keep its runs; store the file first (POST /api/heat/scenarios or the pages)"));
                }
                var heat = services.GetRequiredService<HeatService>();
                var record = await heat.Store.GetAsync(scenario.Id, ct);
                var saved = await heat.Store.SaveRunAsync(report with { ScenarioVersion = record!.Version }, hourly, null, ct);
                if (!saved.IsSuccess)
                {
                    return output.Fail(saved.Error);
                }
                output.Info($"run {runId} stored");
            }
            if (parse.GetValue(outDir) is { } dir)
            {
                dir.Create();
                await File.WriteAllTextAsync(Path.Combine(dir.FullName, $"{scenario.Id}-report.json"), JsonSerializer.Serialize(report, HeatJson<RunReport>.Options), ct);
                await File.WriteAllTextAsync(Path.Combine(dir.FullName, $"{scenario.Id}-hourly.csv"), hourly.ToCsv(scenario.Year), ct);
                await File.WriteAllTextAsync(Path.Combine(dir.FullName, $"{scenario.Id}-hourly.json"), JsonSerializer.Serialize(hourly, HeatJson<HourlyReport>.Options), ct);
                output.Info($"results written to {dir.FullName}");
            }
            output.Result(report, console => SummaryTable(console, report));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static string N(double value, int decimals = 0) => value.ToString("N" + decimals, CultureInfo.InvariantCulture);

    private static void SummaryTable(IAnsiConsole console, RunReport r)
    {
        var i = r.Indicators;
        var table = new Table().Title($"{r.ScenarioName} — {r.Weather}").AddColumn("indicator").AddColumn(new TableColumn("value").RightAligned()).AddColumn("note");
        void Row(string name, string value, string note = "") => table.AddRow(Markup.Escape(name), Markup.Escape(value), Markup.Escape(note));
        Row("delivered", $"{N(i.Delivered_mwh)} MWh", i.Unmet_mwh > 0 ? $"unmet {N(i.Unmet_mwh, 1)} MWh in {i.UnmetHours} h" : "");
        Row("network losses", $"{N(i.NetworkLoss_mwh)} MWh", $"efficiency {i.NetworkEfficiency:P1}");
        Row("peak load", $"{N(i.PeakLoad_kw)} kW", $"demand peak {N(i.PeakDemand_kw)} kW");
        Row("EnR&R rate", $"{i.EnrrRate:P1}", $"renewable {i.RenewableRate:P1}, recovered {i.RecoveredRate:P1}");
        Row("CO2 content", $"{i.Co2LifeCycle_kg_per_kwh:0.000} kg/kWh", $"direct {i.Co2Direct_kg_per_kwh:0.000} kg/kWh");
        Row("CO2 avoided", $"{N(i.Co2Avoided_t)} t/yr", "against individual gas boilers");
        Row("linear density", $"{i.LinearDensity_mwh_per_m:0.00} MWh/m/yr", i.LinearDensity_mwh_per_m >= IndicatorSet.DensityThreshold_mwh_per_m ? "≥ 1.5 (Fonds Chaleur)" : "< 1.5 (Fonds Chaleur)");
        Row("classement", i.Classement.Eligible ? "classed" : "not classed", string.Join("; ", i.Classement.Missing));
        if (i.WoodTonnes > 0)
        {
            Row("wood", $"{N(i.WoodTonnes)} t/yr", "");
        }
        Row("cost of heat", $"{N(i.Economy.Cost_eur_per_mwh, 1)} €/MWh", i.Economy.Payback_years is { } p ? $"payback {p:0.0} years vs individual gas" : "no payback vs individual gas");
        foreach (var c in r.Published)
        {
            Row($"published: {c.Figure}", c.Unit == "share" ? $"{c.Simulated:P1} (published {c.Published:P1})" : $"{N(c.Simulated)} (published {N(c.Published)} {c.Unit})", $"{c.Deviation:+0.0%;-0.0%}");
        }
        Row("computed in", $"{r.Seconds:0.00} s", $"{r.NetworkNodes} nodes, {r.CoreNodes} in meshed core");
        console.Write(table);
        var units = new Table().Title("production").AddColumn("unit").AddColumn(new TableColumn("MWh").RightAligned()).AddColumn(new TableColumn("full-load h").RightAligned())
            .AddColumn(new TableColumn("fuel MWh").RightAligned()).AddColumn("EnR&R");
        foreach (var u in i.Units)
        {
            units.AddRow(Markup.Escape(u.Name), N(u.Output_mwh), N(u.FullLoadHours), N(u.Fuel_mwh) + (u.FuelTonnes is { } t ? $" ({N(t)} t)" : ""), $"{u.EnrrShare:P0}");
        }
        console.Write(units);
        foreach (var w in r.Warnings)
        {
            console.MarkupLine($"[yellow]warning:[/] {Markup.Escape(w)}");
        }
    }

    private static Command CheckConnection(CliContext context)
    {
        var scenario = new Option<string>("--scenario") { Description = "The network: a scenario file or a stored or shipped id", Required = true };
        var x = new Option<double>("--x") { Description = "Building position, x in metres (the scenario's frame)", Required = true };
        var y = new Option<double>("--y") { Description = "Building position, y in metres", Required = true };
        var need = new Option<double>("--need-kw") { Description = "Heating, cooling and hot-water power need of the building (kW)", Required = true };
        var isNew = new Option<bool>("--new") { Description = "A new building (permit requested after the classement)" };
        var replacing = new Option<bool>("--replacing") { Description = "An existing building replacing its heating or cooling installation" };
        var command = new Command("check-connection", "Must this building connect to the network? (classement, priority zone, 30 kW threshold)") { scenario, x, y, need, isNew, replacing };
        command.SetAction(async (parse, ct) =>
        {
            var output = context.Output(parse);
            var (loaded, stored, services, host) = await LoadAsync(context, parse, parse.GetValue(scenario)!, ct);
            using var _ = host;
            if (!loaded.IsSuccess)
            {
                return output.Fail(loaded.Error);
            }
            ClassementStatus? classement = null;
            if (stored && services is not null)
            {
                classement = (await services.GetRequiredService<HeatService>().Store.LatestRunAsync(loaded.Value.Id, ct))?.Indicators.Classement;
            }
            if (classement is null)
            {
                output.Info("simulating the year to know the EnR&R rate …");
                var compiled = CompiledScenario.Compile(loaded.Value);
                if (!compiled.IsSuccess)
                {
                    return output.Fail(compiled.Error);
                }
                var weather = await WeatherSource.ResolveAsync(loaded.Value.Climate.Source, null, ct);
                if (!weather.IsSuccess)
                {
                    return output.Fail(weather.Error);
                }
                var year = YearSimulation.Run(compiled.Value, weather.Value, null, ct);
                if (!year.IsSuccess)
                {
                    return output.Fail(year.Error);
                }
                classement = IndicatorCalculator.Compute(year.Value).Classement;
            }
            var answer = ConnectionObligation.Check(new BuildingQuery
            {
                X_m = parse.GetValue(x),
                Y_m = parse.GetValue(y),
                Need_kw = parse.GetValue(need),
                New = parse.GetValue(isNew),
                ReplacingInstallation = parse.GetValue(replacing),
            }, loaded.Value.Regulation, classement);
            output.Result(answer, console =>
            {
                console.MarkupLine(answer.Obliged ? "[bold]Connection compulsory[/] (Code de l'énergie L712-3, R712-9)" : "[bold]No connection obligation[/]");
                foreach (var reason in answer.Reasons)
                {
                    console.MarkupLine($"  - {Markup.Escape(reason)}");
                }
            });
            return answer.Obliged ? ExitCodes.Ok : ExitCodes.CheckFailed;
        });
        return command;
    }

    private static Command ImportPandapipes(CliContext context)
    {
        var file = new Argument<FileInfo>("file") { Description = "A pandapipes network saved with pandapipes.to_json" };
        var id = new Option<string?>("--id") { Description = "Id of the scenario to create (default: the file name)" };
        var save = new Option<bool>("--save") { Description = "Store the scenario made from it" };
        var outFile = new Option<FileInfo?>("--out") { Description = "Write the scenario made from it to this file" };
        var law = new Option<string>("--law") { Description = "Pipe temperature law: exponential (exact) or finite-volume (as OpenModelica)", DefaultValueFactory = _ => "exponential" };
        var command = new Command("import-pandapipes", "Solve a pandapipes network's steady state and turn it into a scenario") { file, id, save, outFile, law };
        command.SetAction(async (parse, ct) =>
        {
            var output = context.Output(parse);
            var path = parse.GetValue(file)!;
            if (!path.Exists)
            {
                return output.Fail(Error.NotFound($"File {path.FullName}"));
            }
            var text = await File.ReadAllTextAsync(path.FullName, ct);
            var net = PandapipesNet.Parse(text);
            if (!net.IsSuccess)
            {
                return output.Fail(net.Error);
            }
            var solved = ToolEndpoints.Solve(net.Value, parse.GetValue(law), null);
            if (!solved.IsSuccess)
            {
                return output.Fail(solved.Error);
            }
            var scenarioId = parse.GetValue(id) ?? Slug(Path.GetFileNameWithoutExtension(path.Name));
            var scenario = PandapipesToScenario.Convert(net.Value, scenarioId);
            if (!scenario.IsSuccess)
            {
                return output.Fail(scenario.Error);
            }
            if (parse.GetValue(outFile) is { } target)
            {
                await File.WriteAllTextAsync(target.FullName, scenario.Value.ToJson(), ct);
                output.Info($"scenario written to {target.FullName}");
            }
            if (parse.GetValue(save))
            {
                using var host = await context.StartServicesAsync(parse, migrate: true, ct);
                var created = await host.Services.GetRequiredService<HeatService>().CreateAsync(scenario.Value, ct);
                if (!created.IsSuccess)
                {
                    return output.Fail(created.Error);
                }
                output.Info($"scenario '{created.Value.Id}' stored (version {created.Value.Version})");
            }
            var s = solved.Value;
            output.Result(new { steady_state = s, scenario = scenario.Value.Id }, console =>
            {
                var junctions = new Table().Title($"{s.Network}: junctions").AddColumn("junction").AddColumn(new TableColumn("p (bar)").RightAligned()).AddColumn(new TableColumn("T (K)").RightAligned());
                foreach (var j in s.Junctions)
                {
                    junctions.AddRow(Markup.Escape(j.Id), j.P_bar.ToString("0.0000", CultureInfo.InvariantCulture), j.T_k.ToString("0.000", CultureInfo.InvariantCulture));
                }
                console.Write(junctions);
                var pipes = new Table().Title("pipes").AddColumn("pipe").AddColumn(new TableColumn("ṁ (kg/s)").RightAligned()).AddColumn(new TableColumn("v (m/s)").RightAligned())
                    .AddColumn(new TableColumn("T mean (K)").RightAligned()).AddColumn(new TableColumn("loss (W)").RightAligned());
                foreach (var p in s.Pipes)
                {
                    pipes.AddRow(Markup.Escape(p.Id), p.MassFlow_kg_per_s.ToString("0.0000", CultureInfo.InvariantCulture), p.VelocityMean_m_per_s.ToString("0.0000", CultureInfo.InvariantCulture),
                        p.MeanTemperature_k.ToString("0.000", CultureInfo.InvariantCulture), p.HeatLoss_w.ToString("0", CultureInfo.InvariantCulture));
                }
                console.Write(pipes);
            });
            return ExitCodes.Ok;
        });
        return command;
    }

    private static string Slug(string name)
    {
        var s = new string([.. name.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-')]).Trim('-');
        return s.Length == 0 ? "pandapipes-import" : s[..Math.Min(64, s.Length)];
    }

    private static Command List(CliContext context)
    {
        var command = new Command("list", "Stored scenarios and their latest run");
        command.SetAction(async (parse, ct) =>
        {
            var output = context.Output(parse);
            using var host = await context.StartServicesAsync(parse, migrate: true, ct);
            var store = host.Services.GetRequiredService<HeatService>().Store;
            var rows = new List<object>();
            var table = new Table().AddColumn("id").AddColumn("name").AddColumn("version").AddColumn(new TableColumn("delivered MWh").RightAligned()).AddColumn(new TableColumn("EnR&R").RightAligned());
            foreach (var r in await store.ListAsync(ct))
            {
                var run = await store.LatestRunAsync(r.Id, ct);
                rows.Add(new { r.Id, r.Name, r.Version, r.Shipped, last_run = run?.RunId, delivered_mwh = run?.Indicators.Delivered_mwh, enrr_rate = run?.Indicators.EnrrRate });
                table.AddRow(Markup.Escape(r.Id), Markup.Escape(r.Name), r.Version.ToString(CultureInfo.InvariantCulture),
                    run is null ? "—" : N(run.Indicators.Delivered_mwh), run is null ? "—" : run.Indicators.EnrrRate.ToString("P1", CultureInfo.InvariantCulture));
            }
            output.Result(rows, console => console.Write(table));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Export(CliContext context)
    {
        var id = new Argument<string>("id") { Description = "A stored or shipped scenario" };
        var outFile = new Option<FileInfo?>("--out") { Description = "Write to this file instead of stdout" };
        var command = new Command("export", "Write a scenario's JSON document") { id, outFile };
        command.SetAction(async (parse, ct) =>
        {
            var output = context.Output(parse);
            var (loaded, _, _, host) = await LoadAsync(context, parse, parse.GetValue(id)!, ct);
            using var _h = host;
            if (!loaded.IsSuccess)
            {
                return output.Fail(loaded.Error);
            }
            var json = loaded.Value.ToJson();
            if (parse.GetValue(outFile) is { } f)
            {
                await File.WriteAllTextAsync(f.FullName, json, ct);
                output.Info($"written to {f.FullName}");
            }
            else
            {
                output.StdOut.WriteLine(json);
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Compare(CliContext context)
    {
        var ids = new Argument<string[]>("scenarios") { Description = "Scenario files or stored or shipped ids", Arity = ArgumentArity.OneOrMore };
        var command = new Command("compare", "Simulate scenarios and print their indicators side by side") { ids };
        command.SetAction(async (parse, ct) =>
        {
            var output = context.Output(parse);
            var rows = new List<ScenarioSummary>();
            foreach (var name in parse.GetValue(ids)!)
            {
                var (loaded, _, services, host) = await LoadAsync(context, parse, name, ct);
                using var _h = host;
                if (!loaded.IsSuccess)
                {
                    return output.Fail(loaded.Error);
                }
                var compiled = CompiledScenario.Compile(loaded.Value);
                if (!compiled.IsSuccess)
                {
                    return output.Fail(compiled.Error);
                }
                Func<string, CancellationToken, Task<WeatherYear?>>? uploads = services is null ? null : services.GetRequiredService<HeatService>().Store.GetWeatherAsync;
                var weather = await WeatherSource.ResolveAsync(loaded.Value.Climate.Source, uploads, ct);
                if (!weather.IsSuccess)
                {
                    return output.Fail(weather.Error);
                }
                var year = await output.ProgressAsync($"simulating {loaded.Value.Id}", WeatherYear.Hours, p => Task.Run(() => YearSimulation.Run(compiled.Value, weather.Value, new SimulationOptions { Progress = p }, ct), ct));
                if (!year.IsSuccess)
                {
                    return output.Fail(year.Error);
                }
                rows.Add(ScenarioSummary.From(loaded.Value, IndicatorCalculator.Compute(year.Value)));
            }
            output.Result(rows, console =>
            {
                var table = new Table().AddColumn("indicator");
                foreach (var r in rows)
                {
                    table.AddColumn(new TableColumn(Markup.Escape(r.Id)).RightAligned());
                }
                void Line(string label, Func<ScenarioSummary, string> f) => table.AddRow([Markup.Escape(label), .. rows.Select(r => Markup.Escape(f(r)))]);
                Line("delivered (MWh)", r => N(r.Delivered_mwh));
                Line("losses (MWh)", r => N(r.NetworkLoss_mwh));
                Line("EnR&R", r => r.EnrrRate.ToString("P1", CultureInfo.InvariantCulture));
                Line("CO2 (kg/kWh, life cycle)", r => r.Co2LifeCycle_kg_per_kwh.ToString("0.000", CultureInfo.InvariantCulture));
                Line("CO2 avoided (t/yr)", r => N(r.Co2Avoided_t));
                Line("density (MWh/m/yr)", r => r.LinearDensity_mwh_per_m.ToString("0.00", CultureInfo.InvariantCulture));
                Line("cost (€/MWh)", r => N(r.Cost_eur_per_mwh, 1));
                Line("classable", r => r.Classable ? "yes" : "no");
                console.Write(table);
            });
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Seed(CliContext context)
    {
        var command = new Command("seed", "Store the shipped scenarios that are missing (the brief's four networks and examples)");
        command.SetAction(async (parse, ct) =>
        {
            var output = context.Output(parse);
            using var host = await context.StartServicesAsync(parse, migrate: true, ct);
            var count = await host.Services.GetRequiredService<HeatService>().SeedShippedAsync(ct);
            output.Result(new { stored = count }, console => console.WriteLine($"{count} scenario(s) stored"));
            return ExitCodes.Ok;
        });
        return command;
    }
}
