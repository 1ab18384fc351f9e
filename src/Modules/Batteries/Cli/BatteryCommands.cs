using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Socle.Modules.Batteries.Access;
using Socle.Modules.Batteries.Footprint;
using Socle.Modules.Batteries.Interop;
using Socle.Modules.Batteries.Parties;
using Socle.Modules.Batteries.Passports;
using Socle.Modules.Batteries.Schemas;
using Socle.Modules.Batteries.ValueChain;
using Socle.Modules.Batteries.Web;
using Socle.Platform;
using Socle.Platform.Cli;
using Spectre.Console;

namespace Socle.Modules.Batteries.Cli;

/// <summary>
/// <c>socle battery …</c>: passports (create, import, show, export, validate, verify, status, reading), the carbon
/// footprint of a bill of materials, the value-chain plan of a scenario, and the parties of the registry. Commands that
/// touch the registry act directly on the database (<c>--db</c>), as its administrator does; those that change a passport
/// say on whose behalf (<c>--as-party</c>), and are signed with that party's key.
/// </summary>
public static class BatteryCommands
{
    public static Command Create(CliContext context)
    {
        var group = new Command("battery", "Battery passports, carbon footprint, circularity and value-chain planning (Regulation (EU) 2023/1542)");
        var passport = new Command("passport", "The battery passport registry");
        passport.Subcommands.Add(CreatePassport(context));
        passport.Subcommands.Add(ImportPassports(context));
        passport.Subcommands.Add(Show(context));
        passport.Subcommands.Add(Export(context));
        passport.Subcommands.Add(Validate(context));
        passport.Subcommands.Add(Verify(context));
        passport.Subcommands.Add(Status(context));
        passport.Subcommands.Add(Reading(context));
        group.Subcommands.Add(passport);
        group.Subcommands.Add(FootprintCommand(context));
        group.Subcommands.Add(PlanCommand(context));
        group.Subcommands.Add(PartyCommands(context));
        return group;
    }

    private static Option<string> AsParty(bool required = true) => new("--as-party")
    {
        Description = "The party (id) on whose behalf the change is made; its key signs it",
        Required = required,
    };

    private static async Task<(IHost Host, Party? Party, Error? Error)> StartAsync(CliContext context, ParseResult parse, string? partyId, CancellationToken ct)
    {
        var host = await context.StartServicesAsync(parse, migrate: true, ct);
        if (partyId is null)
        {
            return (host, null, null);
        }
        var party = await host.Services.GetRequiredService<PartyStore>().GetAsync(partyId, ct);
        if (party is null || party.RevokedAt is not null)
        {
            return (host, null, Error.NotFound($"Party {partyId}"));
        }
        return (host, party, null);
    }

    private static JsonNode? ReadJson(FileInfo file) => JsonNode.Parse(JsonSchema.DecodeText(File.ReadAllBytes(file.FullName)));

    private static void Problems(CliOutput output, Error error)
    {
        if (error.Fields is { Count: > 0 } fields && !output.IsJson)
        {
            foreach (var (field, messages) in fields)
            {
                foreach (var m in messages)
                {
                    output.Info($"  {field}: {m}");
                }
            }
        }
    }

    // ---- passport create ------------------------------------------------------------------------------------------

    private static Command CreatePassport(CliContext context)
    {
        var files = new Option<FileInfo[]>("--file") { Description = "The passport: Socle sections (one file), Battery Pass 1.2 sub-model documents (one or more), or a Catena-X document", Required = true, AllowMultipleArgumentsPerToken = true };
        var format = new Option<string>("--format") { Description = "passport (default), batterypass-1.2 or catenax-6.1", DefaultValueFactory = _ => "passport" };
        var party = AsParty();
        var command = new Command("create", "Create a passport from a JSON file (or import published formats)") { files, format, party };
        command.SetAction(async (parse, ct) =>
        {
            var output = context.Output(parse);
            var inputs = parse.GetValue(files)!;
            foreach (var f in inputs.Where(f => !f.Exists))
            {
                return output.Fail(Error.NotFound($"File {f.FullName}"));
            }
            var (host, actor, error) = await StartAsync(context, parse, parse.GetValue(party), ct);
            using var _ = host;
            if (error is not null)
            {
                return output.Fail(error);
            }
            var registry = host.Services.GetRequiredService<PassportRegistry>();
            ImportedContent imported;
            CreateMode mode;
            try
            {
                switch (parse.GetValue(format))
                {
                    case "batterypass-1.2":
                        imported = BatteryPassFormat.Import(inputs.Select(f => (f.Name, JsonDocument.Parse(JsonSchema.DecodeText(File.ReadAllBytes(f.FullName))).RootElement.Clone())), DateTimeOffset.UtcNow);
                        mode = CreateMode.Import;
                        break;
                    case "catenax-6.1":
                        imported = CatenaXFormat.Import(JsonDocument.Parse(JsonSchema.DecodeText(File.ReadAllBytes(inputs[0].FullName))).RootElement.Clone(),
                            host.Services.GetRequiredService<IOptions<BatteriesOptions>>().Value.PassportUrnNamespace);
                        mode = CreateMode.Import;
                        break;
                    case "passport":
                        imported = new ImportedContent(ReadJson(inputs[0]) as JsonObject ?? throw new JsonException("the passport must be a JSON object of sections"), [], []);
                        mode = CreateMode.Create;
                        break;
                    default:
                        return output.Fail(Error.Validation("--format", "must be passport, batterypass-1.2 or catenax-6.1"));
                }
            }
            catch (JsonException e)
            {
                return output.Fail(Error.Validation("--file", $"is not valid JSON: {e.Message}"));
            }
            if (!imported.Ok)
            {
                foreach (var p in imported.Problems)
                {
                    output.Info($"  {p}");
                }
                return output.Fail(Error.Validation(imported.Problems.GroupBy(p => $"{p.Document} {p.Path}").ToDictionary(g => g.Key, g => g.Select(p => p.Message).ToArray())));
            }
            var result = await registry.CreateAsync(actor!, imported.Content!, mode, null, ct);
            if (!result.IsSuccess)
            {
                Problems(output, result.Error);
                return output.Fail(result.Error);
            }
            foreach (var note in imported.Notes)
            {
                output.Info($"note: {note}");
            }
            foreach (var w in result.Value.Warnings)
            {
                output.Info($"warning: {w}");
            }
            output.Result(new { passport = result.Value.Head.Id, batteryId = result.Value.Head.BatteryId, version = result.Value.Version.Version, hash = result.Value.Version.Hash, warnings = result.Value.Warnings, notes = imported.Notes },
                console => console.WriteLine($"Created {result.Value.Head.Id} for battery {result.Value.Head.BatteryId} (version 1, {result.Value.Version.Hash[..16]}…)"));
            return ExitCodes.Ok;
        });
        return command;
    }

    // ---- passport import (bulk) ---------------------------------------------------------------------------------

    private static Command ImportPassports(CliContext context)
    {
        var file = new Option<FileInfo>("--file") { Description = "JSON lines: one passport's sections per line", Required = true };
        var mode = new Option<string>("--mode") { Description = "create (checks plausibility and GS1 ids, default) or import (reports them as warnings)", DefaultValueFactory = _ => "create" };
        var party = AsParty();
        var command = new Command("import", "Bulk-import passports from a JSON-lines file (each line is signed and journaled; re-running is safe)") { file, mode, party };
        command.SetAction(async (parse, ct) =>
        {
            var output = context.Output(parse);
            var input = parse.GetValue(file)!;
            if (!input.Exists)
            {
                return output.Fail(Error.NotFound($"File {input.FullName}"));
            }
            var createMode = parse.GetValue(mode) switch { "create" => CreateMode.Create, "import" => CreateMode.Import, _ => (CreateMode?)null };
            if (createMode is null)
            {
                return output.Fail(Error.Validation("--mode", "must be create or import"));
            }
            var (host, actor, error) = await StartAsync(context, parse, parse.GetValue(party), ct);
            using var _ = host;
            if (error is not null)
            {
                return output.Fail(error);
            }
            var lines = File.ReadLines(input.FullName).LongCount();
            await using var stream = File.OpenRead(input.FullName);
            var registry = host.Services.GetRequiredService<PassportRegistry>();
            var result = await output.ProgressAsync("importing", lines, progress =>
                registry.ImportManyAsync(actor!, BatteriesApi.Lines(stream, ct), createMode.Value, progress, ct));
            foreach (var e in result.Errors.Take(20))
            {
                output.Info($"line {e.Line}: {string.Join("; ", e.Problems)}");
            }
            output.Result(result, console => console.WriteLine(
                $"Imported {result.Imported} passport(s), refused {result.Rejected}, in {result.Seconds:F1} s ({(result.Seconds > 0 ? result.Imported / result.Seconds : 0):F0}/s)."));
            return result.Rejected == 0 ? ExitCodes.Ok : ExitCodes.CheckFailed;
        });
        return command;
    }

    // ---- passport show --------------------------------------------------------------------------------------------

    private static Option<string> GroupOption() => new("--as")
    {
        Description = "The access group to read as: public (default), legitimate-interest, authorities, commission, operator",
        DefaultValueFactory = _ => "public",
    };

    private static Command Show(CliContext context)
    {
        var id = new Argument<string>("passport") { Description = "The passport identifier (urn:…) or the battery identifier" };
        var asGroup = GroupOption();
        var version = new Option<int?>("--version") { Description = "A past version (default: the current one)" };
        var command = new Command("show", "Show a passport as an access group sees it") { id, asGroup, version };
        command.SetAction(async (parse, ct) =>
        {
            var output = context.Output(parse);
            if (!AccessRules.TryParseGroup(parse.GetValue(asGroup), out var group))
            {
                return output.Fail(Error.Validation("--as", "must be public, legitimate-interest, authorities, commission or operator"));
            }
            using var host = await context.StartServicesAsync(parse, migrate: true, ct);
            var registry = host.Services.GetRequiredService<PassportRegistry>();
            var passportId = await ResolveIdAsync(registry, parse.GetValue(id)!, ct);
            var read = passportId is null ? null : await registry.ReadAsync(passportId, parse.GetValue(version), ct);
            if (read is null)
            {
                return output.Fail(Error.NotFound($"Passport {parse.GetValue(id)}"));
            }
            var (head, doc) = read.Value;
            if (head.Lifecycle == PassportLifecycle.Ended && group != AccessGroup.Operator)
            {
                return output.Fail(Error.NotFound($"Passport {passportId} (ended: the battery was recycled)"));
            }
            var views = host.Services.GetRequiredService<PassportViews>();
            var json = views.Write(head with { CurrentVersion = doc.Version }, doc.Content, group);
            using var view = JsonDocument.Parse(json);
            output.Result(view.RootElement, console =>
            {
                console.WriteLine($"{head.Id} — battery {head.BatteryId}, {head.Category}, {head.Chemistry}; read as {group.Code()}");
                if (AccessRules.CanSeeStatus(group))
                {
                    console.WriteLine($"status {head.Status}, {head.Lifecycle.ToString().ToLowerInvariant()}, version {doc.Version} of {head.CurrentVersion}");
                }
                var table = new Table().AddColumn("attribute").AddColumn("value");
                var content = view.RootElement.GetProperty("content");
                foreach (var a in AccessFilter.VisibleAttributes(content, AccessGroup.Operator))
                {
                    AccessFilter.Locate(content, a.Segments, out var value);
                    var text = value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();
                    table.AddRow(Markup.Escape(a.Path), Markup.Escape(text.Length > 90 ? text[..87] + "…" : text));
                }
                Wide(console);
                console.Write(table);
            });
            return ExitCodes.Ok;
        });
        return command;
    }

    private static async Task<string?> ResolveIdAsync(PassportRegistry registry, string idOrBattery, CancellationToken ct) =>
        PassportIds.IsValid(idOrBattery) ? idOrBattery : await registry.ActivePassportOfAsync(idOrBattery, ct);

    // ---- passport export ------------------------------------------------------------------------------------------

    private static Command Export(CliContext context)
    {
        var id = new Argument<string>("passport") { Description = "The passport identifier (urn:…) or the battery identifier" };
        var format = new Option<string>("--format") { Description = "batterypass (one file per sub-model, default) or catenax", DefaultValueFactory = _ => "batterypass" };
        var asGroup = GroupOption();
        var outDir = new Option<DirectoryInfo?>("--out") { Description = "Write the documents into this folder (otherwise to stdout)" };
        var command = new Command("export", "Export a passport to Battery Pass 1.2 or Catena-X 6.1.0 JSON, validated against the published schemas") { id, format, asGroup, outDir };
        command.SetAction(async (parse, ct) =>
        {
            var output = context.Output(parse);
            if (!AccessRules.TryParseGroup(parse.GetValue(asGroup), out var group))
            {
                return output.Fail(Error.Validation("--as", "must be public, legitimate-interest, authorities, commission or operator"));
            }
            var which = parse.GetValue(format);
            if (which is not ("batterypass" or "catenax"))
            {
                return output.Fail(Error.Validation("--format", "must be batterypass or catenax"));
            }
            using var host = await context.StartServicesAsync(parse, migrate: true, ct);
            var registry = host.Services.GetRequiredService<PassportRegistry>();
            var passportId = await ResolveIdAsync(registry, parse.GetValue(id)!, ct);
            var read = passportId is null ? null : await registry.ReadAsync(passportId, null, ct);
            if (read is null || (read.Value.Head.Lifecycle == PassportLifecycle.Ended && group != AccessGroup.Operator))
            {
                return output.Fail(Error.NotFound($"Passport {parse.GetValue(id)}"));
            }
            var (head, doc) = read.Value;
            IReadOnlyList<InteropDocument> documents;
            if (which == "batterypass")
            {
                documents = BatteryPassFormat.Export(doc.Content, group);
            }
            else
            {
                var op = await host.Services.GetRequiredService<PartyStore>().GetAsync(head.OperatorId, ct);
                var views = host.Services.GetRequiredService<PassportViews>();
                documents = [CatenaXFormat.Export(doc.Content, group, new CatenaXContext(head, op?.Profile ?? new PartyProfile(), views.PageUrl(head.Id)))];
            }
            if (parse.GetValue(outDir) is { } dir)
            {
                dir.Create();
                foreach (var d in documents)
                {
                    await File.WriteAllTextAsync(Path.Combine(dir.FullName, $"{d.Name}.json"), d.Document.ToJsonString(JsonText.Indented) + "\n", new UTF8Encoding(false), ct);
                }
            }
            foreach (var d in documents.Where(d => !d.Valid))
            {
                foreach (var e in d.Errors)
                {
                    output.Info($"{d.Name} {e}");
                }
            }
            output.Result(new
            {
                passport = head.Id,
                group = group.Code(),
                documents = documents.Select(d => new { name = d.Name, schema = d.SchemaId, valid = d.Valid, errors = d.Errors, document = parse.GetValue(outDir) is null ? d.Document : null }),
            }, console =>
            {
                foreach (var d in documents)
                {
                    if (parse.GetValue(outDir) is null)
                    {
                        console.Profile.Out.Writer.WriteLine(d.Document.ToJsonString(JsonText.Indented));
                    }
                    else
                    {
                        console.WriteLine($"{d.Name}.json: {(d.Valid ? "valid" : $"{d.Errors.Count} schema error(s)")} against {d.SchemaId}");
                    }
                }
            });
            return documents.All(d => d.Valid) ? ExitCodes.Ok : ExitCodes.CheckFailed;
        });
        return command;
    }

    // ---- passport validate ----------------------------------------------------------------------------------------

    private static Command Validate(CliContext context)
    {
        var files = new Argument<FileInfo[]>("files") { Description = "JSON documents (UTF-8 or UTF-16 with BOM)", Arity = ArgumentArity.OneOrMore };
        var schema = new Option<string?>("--schema") { Description = $"The schema: {string.Join(", ", SchemaCatalog.All.Select(s => s.Id))} (default: detected from the file name or content)" };
        var published = new Option<bool>("--published") { Description = "Validate against the schemas exactly as published (without the documented errata)" };
        var command = new Command("validate", "Validate documents against the Battery Pass 1.2 and Catena-X 6.1.0 schemas, naming each error's JSON path") { files, schema, published };
        command.SetAction((parse, _) =>
        {
            var output = context.Output(parse);
            var results = new List<object>();
            var ok = true;
            foreach (var file in parse.GetValue(files)!)
            {
                if (!file.Exists)
                {
                    return Task.FromResult(output.Fail(Error.NotFound($"File {file.FullName}")));
                }
                JsonDocument doc;
                try
                {
                    doc = JsonDocument.Parse(JsonSchema.DecodeText(File.ReadAllBytes(file.FullName)));
                }
                catch (Exception e) when (e is JsonException or DecoderFallbackException)
                {
                    return Task.FromResult(output.Fail(Error.Validation(file.Name, $"is not JSON: {e.Message}")));
                }
                using (doc)
                {
                    var id = parse.GetValue(schema) ?? DetectSchema(file.Name, doc.RootElement);
                    if (id is null || !SchemaCatalog.IsKnown(id))
                    {
                        return Task.FromResult(output.Fail(Error.Validation("--schema", $"cannot tell which schema {file.Name} follows; give --schema ({string.Join(", ", SchemaCatalog.All.Select(s => s.Id))})")));
                    }
                    var errors = (parse.GetValue(published) ? SchemaCatalog.Published(id) : SchemaCatalog.Get(id)).Validate(doc.RootElement);
                    ok &= errors.Count == 0;
                    results.Add(new { file = file.FullName, schema = id, valid = errors.Count == 0, errors });
                    if (!output.IsJson)
                    {
                        output.StdOut.WriteLine($"{file.Name}: {(errors.Count == 0 ? "valid" : $"INVALID ({errors.Count} error(s))")} against {id}");
                        foreach (var e in errors)
                        {
                            output.StdOut.WriteLine($"  {e.Path}: {e.Message} [{e.Keyword}]");
                        }
                    }
                }
            }
            if (output.IsJson)
            {
                output.Result(new { valid = ok, results }, _ => { });
            }
            return Task.FromResult(ok ? ExitCodes.Ok : ExitCodes.CheckFailed);
        });
        return command;
    }

    private static string? DetectSchema(string fileName, JsonElement doc)
    {
        if (doc.ValueKind == JsonValueKind.Object && doc.TryGetProperty("metadata", out _) && doc.TryGetProperty("identification", out _))
        {
            return SchemaCatalog.CatenaX;
        }
        var section = BatteryPassFormat.SectionOf(fileName) ?? BatteryPassFormat.Detect(doc);
        return section is null ? null : AttributeCatalog.Sections.Single(s => s.Section == section).SchemaId;
    }

    // ---- passport verify ------------------------------------------------------------------------------------------

    private static Command Verify(CliContext context)
    {
        var id = new Argument<string?>("passport") { Description = "The passport identifier or battery identifier", Arity = ArgumentArity.ZeroOrOne };
        var all = new Option<bool>("--all") { Description = "Verify every passport of the registry" };
        var command = new Command("verify", "Verify passports: every version's hash, ES256 signature, chain and journal record; exit 1 at the first tampered one") { id, all };
        command.SetAction(async (parse, ct) =>
        {
            var output = context.Output(parse);
            if (parse.GetValue(id) is null == !parse.GetValue(all))
            {
                return output.Fail(Error.Validation("passport", "give a passport, or --all"));
            }
            using var host = await context.StartServicesAsync(parse, migrate: true, ct);
            var registry = host.Services.GetRequiredService<PassportRegistry>();
            var ids = new List<string>();
            if (parse.GetValue(all))
            {
                string? after = null;
                while (true)
                {
                    var page = await registry.SearchAsync(new PassportQuery { Limit = PassportRegistry.MaxSearchResults, After = after }, ct);
                    ids.AddRange(page.Select(p => p.Id));
                    if (page.Count < PassportRegistry.MaxSearchResults)
                    {
                        break;
                    }
                    after = page[^1].Id;
                }
            }
            else if (await ResolveIdAsync(registry, parse.GetValue(id)!, ct) is { } one)
            {
                ids.Add(one);
            }
            else
            {
                return output.Fail(Error.NotFound($"Passport {parse.GetValue(id)}"));
            }
            var reports = new List<VerificationReport>();
            foreach (var passportId in ids)
            {
                var report = await registry.VerifyAsync(passportId, ct);
                if (report is null)
                {
                    return output.Fail(Error.NotFound($"Passport {passportId}"));
                }
                reports.Add(report);
            }
            var failed = reports.Where(r => !r.Ok).ToList();
            foreach (var r in failed)
            {
                foreach (var p in r.Problems)
                {
                    output.Info($"FAILED {r.PassportId} {p}");
                }
            }
            output.Result(new { ok = failed.Count == 0, passports = reports.Count, versions = reports.Sum(r => r.Versions), reports = reports.Where(r => !r.Ok || reports.Count == 1) }, console =>
            {
                if (failed.Count == 0)
                {
                    console.WriteLine($"OK: {reports.Count} passport(s), {reports.Sum(r => r.Versions)} version(s): hashes, ES256 signatures, chains and journal records verify.");
                }
            });
            return failed.Count == 0 ? ExitCodes.Ok : ExitCodes.CheckFailed;
        });
        return command;
    }

    // ---- passport status and reading ------------------------------------------------------------------------------

    private static Command Status(CliContext context)
    {
        var id = new Argument<string>("passport") { Description = "The passport identifier or battery identifier" };
        var change = new Argument<string>("change") { Description = "reuse, repurpose, remanufacture, discard or recycle" };
        var party = AsParty();
        var newBattery = new Option<string?>("--new-battery-id") { Description = "For a repurposed or remanufactured battery that gets a new identifier" };
        var command = new Command("status", "Move a battery's status forward (repurposing and remanufacturing create a new passport; recycling ends it)") { id, change, party, newBattery };
        command.SetAction(async (parse, ct) =>
        {
            var output = context.Output(parse);
            if (!StatusTransitions.TryParse(parse.GetValue(change), out var what))
            {
                return output.Fail(Error.Validation("change", "must be reuse, repurpose, remanufacture, discard or recycle"));
            }
            var (host, actor, error) = await StartAsync(context, parse, parse.GetValue(party), ct);
            using var _ = host;
            if (error is not null)
            {
                return output.Fail(error);
            }
            var registry = host.Services.GetRequiredService<PassportRegistry>();
            var passportId = await ResolveIdAsync(registry, parse.GetValue(id)!, ct);
            if (passportId is null)
            {
                return output.Fail(Error.NotFound($"Passport {parse.GetValue(id)}"));
            }
            var result = await registry.ChangeStatusAsync(actor!, passportId, what, parse.GetValue(newBattery), null, ct);
            if (!result.IsSuccess)
            {
                Problems(output, result.Error);
                return output.Fail(result.Error);
            }
            var r = result.Value;
            output.Result(new { passport = r.Passport.Head.Id, status = r.Passport.Head.Status, lifecycle = r.Passport.Head.Lifecycle, version = r.Passport.Version.Version, successor = r.Successor?.Head.Id },
                console => console.WriteLine(r.Successor is { } s
                    ? $"{r.Passport.Head.Id} is {r.Passport.Head.Lifecycle.ToString().ToLowerInvariant()}; new passport {s.Head.Id} ({s.Head.Status}) for {actor!.Name}"
                    : $"{r.Passport.Head.Id}: {r.Passport.Head.Status}, {r.Passport.Head.Lifecycle.ToString().ToLowerInvariant()}, version {r.Passport.Version.Version}"));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Reading(CliContext context)
    {
        var id = new Argument<string>("passport") { Description = "The passport identifier or battery identifier" };
        var file = new Option<FileInfo>("--file") { Description = "The measurements, JSON: measuredAt, stateOfCharge_pct, remainingCapacity_ah, internalResistance_ohm, fullCycles, …", Required = true };
        var party = AsParty();
        var command = new Command("reading", "Append dynamic data (a new version, with DIN DKE SPEC 99100 state-of-health parameters)") { id, file, party };
        command.SetAction(async (parse, ct) =>
        {
            var output = context.Output(parse);
            var input = parse.GetValue(file)!;
            if (!input.Exists)
            {
                return output.Fail(Error.NotFound($"File {input.FullName}"));
            }
            DynamicReading? reading;
            try
            {
                reading = JsonSerializer.Deserialize<DynamicReading>(File.ReadAllText(input.FullName), JsonText.Options);
            }
            catch (JsonException e)
            {
                return output.Fail(Error.Validation("--file", $"is not a reading: {e.Message}"));
            }
            var (host, actor, error) = await StartAsync(context, parse, parse.GetValue(party), ct);
            using var _ = host;
            if (error is not null)
            {
                return output.Fail(error);
            }
            var registry = host.Services.GetRequiredService<PassportRegistry>();
            var passportId = await ResolveIdAsync(registry, parse.GetValue(id)!, ct);
            if (passportId is null)
            {
                return output.Fail(Error.NotFound($"Passport {parse.GetValue(id)}"));
            }
            var result = await registry.AppendDynamicAsync(actor!, passportId, reading ?? new DynamicReading(), null, ct);
            if (!result.IsSuccess)
            {
                Problems(output, result.Error);
                return output.Fail(result.Error);
            }
            output.Result(new { passport = passportId, version = result.Value.Version.Version, hash = result.Value.Version.Hash },
                console => console.WriteLine($"{passportId}: version {result.Value.Version.Version} recorded"));
            return ExitCodes.Ok;
        });
        return command;
    }

    // ---- footprint and plan ---------------------------------------------------------------------------------------

    private static Command FootprintCommand(CliContext context)
    {
        var bom = new Argument<string>("bom") { Description = $"A calculation request (JSON file) or a built-in example: {string.Join(", ", Demo.SampleFootprints.All)}" };
        var country = new Option<string?>("--country") { Description = $"Production electricity country: {string.Join(", ", ElectricityMixes.All.Select(m => m.Code))}" };
        var years = new Option<double?>("--years") { Description = "Service years of the functional unit" };
        var command = new Command("footprint", "Carbon footprint of a battery from its bill of materials (Art. 7, draft delegated act functional unit)") { bom, country, years };
        command.SetAction((parse, _) =>
        {
            var output = context.Output(parse);
            var source = parse.GetValue(bom)!;
            FootprintRequest? request;
            try
            {
                request = Demo.SampleFootprints.All.Contains(source) ? Demo.SampleFootprints.Load(source)
                    : File.Exists(source) ? JsonSerializer.Deserialize<FootprintRequest>(File.ReadAllText(source), JsonText.Options)
                    : null;
            }
            catch (JsonException e)
            {
                return Task.FromResult(output.Fail(Error.Validation("bom", $"is not a calculation request: {e.Message}")));
            }
            if (request is null)
            {
                return Task.FromResult(output.Fail(Error.NotFound($"File {source}")));
            }
            if (parse.GetValue(country) is { } c)
            {
                request = request with { ElectricityCountry = c, ElectricityFactor_gco2e_per_kwh = null };
            }
            if (parse.GetValue(years) is { } y)
            {
                request = request with { ServiceYears = y };
            }
            var result = CarbonFootprint.Compute(request, new FootprintOptions());
            if (!result.IsSuccess)
            {
                Problems(output, result.Error);
                return Task.FromResult(output.Fail(result.Error));
            }
            var r = result.Value;
            output.Result(r, console =>
            {
                var table = new Table().AddColumn("stage").AddColumn(new TableColumn("kg CO2e").RightAligned()).AddColumn(new TableColumn("kg CO2e/kWh delivered").RightAligned()).AddColumn(new TableColumn("share").RightAligned());
                foreach (var s in r.Stages)
                {
                    table.AddRow(s.Stage, F(s.Emissions_kgco2e, 1), F(s.PerKwhDelivered_kgco2e, 6), F(s.Share_pct, 1) + " %");
                }
                table.AddRow("[bold]total[/]", F(r.Total_kgco2e, 1), F(r.PerKwhDelivered_kgco2e, 6), "100 %");
                Wide(console);
                console.Write(table);
                console.WriteLine($"{F(r.PerKwhCapacity_kgco2e, 1)} kg CO2e per kWh of capacity; functional unit {F(r.FunctionalUnit_kwh, 0)} kWh; class {r.PerformanceClass}; " +
                    $"{(r.BelowThreshold ? "below" : "ABOVE")} the threshold of {F(r.MaximumThreshold_kgco2e_per_kwh, 3)} kg CO2e/kWh");
            });
            return Task.FromResult(ExitCodes.Ok);
        });
        return command;
    }

    private static Command PlanCommand(CliContext context)
    {
        var scenario = new Argument<string>("scenario") { Description = $"A scenario file (JSON) or a built-in one: {string.Join(", ", BuiltInScenarios.All)}" };
        var material = new Option<string>("--material") { Description = $"The material to detail: {string.Join(", ", Planner.Materials)}", DefaultValueFactory = _ => "lithium" };
        var command = new Command("plan", "Value-chain plan 2025–2050: demand against capacity, materials, second life, recycling, import dependency") { scenario, material };
        command.SetAction((parse, _) =>
        {
            var output = context.Output(parse);
            var source = parse.GetValue(scenario)!;
            Scenario s;
            try
            {
                s = BuiltInScenarios.All.Contains(source) ? BuiltInScenarios.Load(source)
                    : File.Exists(source) ? Planner.Parse(File.ReadAllText(source))
                    : throw new FileNotFoundException();
            }
            catch (FileNotFoundException)
            {
                return Task.FromResult(output.Fail(Error.NotFound($"Scenario {source}")));
            }
            catch (JsonException e)
            {
                return Task.FromResult(output.Fail(Error.Validation("scenario", $"is not a scenario: {e.Message}")));
            }
            var which = parse.GetValue(material)!;
            if (!Planner.Materials.Contains(which))
            {
                return Task.FromResult(output.Fail(Error.Validation("--material", $"must be one of {string.Join(", ", Planner.Materials)}")));
            }
            var plan = Planner.Run(s);
            if (!plan.IsSuccess)
            {
                Problems(output, plan.Error);
                return Task.FromResult(output.Fail(plan.Error));
            }
            output.Result(plan.Value, console =>
            {
                var table = new Table().Title($"{plan.Value.Scenario} — {which}")
                    .AddColumn("year").AddColumn(new TableColumn("demand GWh").RightAligned()).AddColumn(new TableColumn("capacity GWh").RightAligned())
                    .AddColumn(new TableColumn("imports GWh").RightAligned()).AddColumn(new TableColumn("recycled GWh").RightAligned())
                    .AddColumn(new TableColumn($"{which} t").RightAligned()).AddColumn(new TableColumn("recycled t").RightAligned()).AddColumn(new TableColumn("import dependency").RightAligned());
                foreach (var y in plan.Value.Years)
                {
                    var m = y.Materials.Single(x => x.Material == which);
                    table.AddRow(y.Year.ToString(CultureInfo.InvariantCulture), F(y.Demand_gwh, 0), F(y.Capacity_gwh, 0), F(y.BatteryImports_gwh, 0), F(y.Recycled_gwh, 0),
                        F(m.Demand_t, 0), F(m.RecycledSupply_t, 0), F(m.ImportDependency_pct, 1) + " %");
                }
                Wide(console);
                console.Write(table);
            });
            return Task.FromResult(ExitCodes.Ok);
        });
        return command;
    }

    // ---- parties --------------------------------------------------------------------------------------------------

    private static Command PartyCommands(CliContext context)
    {
        var group = new Command("party", "Who may sign in, in which access group");
        var role = new Option<string>("--role") { Description = "operator, legitimate-interest, notified-body, market-surveillance or commission", Required = true };
        var name = new Option<string>("--name") { Description = "The party's name", Required = true };
        var interest = new Option<string?>("--interest") { Description = $"For a legitimate interest: {string.Join(", ", Party.Interests)}" };
        var identifier = new Option<string?>("--identifier") { Description = "Operator identifier (GLN, EORI…)" };
        var bpnl = new Option<string?>("--bpnl") { Description = "Catena-X business partner number (BPNL…)" };
        var bpna = new Option<string?>("--bpna") { Description = "Catena-X site number of the main plant (BPNA…)" };
        var street = new Option<string?>("--street");
        var postal = new Option<string?>("--postal-code");
        var country = new Option<string?>("--country");
        var email = new Option<string?>("--email");
        var web = new Option<string?>("--web");
        var add = new Command("add", "Register a party; its access key is printed once, never stored in clear") { role, name, interest, identifier, bpnl, bpna, street, postal, country, email, web };
        add.SetAction(async (parse, ct) =>
        {
            var output = context.Output(parse);
            if (!Party.TryParseRole(parse.GetValue(role), out var r))
            {
                return output.Fail(Error.Validation("--role", "must be operator, legitimate-interest, notified-body, market-surveillance or commission"));
            }
            using var host = await context.StartServicesAsync(parse, migrate: true, ct);
            var result = await host.Services.GetRequiredService<PartyStore>().RegisterAsync(r, parse.GetValue(name)!, new PartyProfile
            {
                Interest = parse.GetValue(interest), Identifier = parse.GetValue(identifier), Bpnl = parse.GetValue(bpnl), Bpna = parse.GetValue(bpna),
                ContactName = parse.GetValue(name), StreetAddress = parse.GetValue(street), PostalCode = parse.GetValue(postal), Country = parse.GetValue(country),
                Email = parse.GetValue(email), WebAddress = parse.GetValue(web),
            }, ct);
            if (!result.IsSuccess)
            {
                Problems(output, result.Error);
                return output.Fail(result.Error);
            }
            output.Result(new { id = result.Value.Party.Id, role = Party.RoleCode(r), accessKey = result.Value.AccessKey }, console =>
            {
                console.WriteLine($"Registered {result.Value.Party.Id} ({Party.RoleCode(r)}).");
                console.WriteLine($"Access key (shown once): {result.Value.AccessKey}");
            });
            return ExitCodes.Ok;
        });
        var list = new Command("list", "List the parties (never their keys)");
        list.SetAction(async (parse, ct) =>
        {
            var output = context.Output(parse);
            using var host = await context.StartServicesAsync(parse, migrate: true, ct);
            var parties = await host.Services.GetRequiredService<PartyStore>().ListAsync(ct);
            output.Result(parties.Select(p => new { p.Id, role = Party.RoleCode(p.Role), p.Name, p.Profile.Interest, revoked = p.RevokedAt is not null }), console =>
            {
                var table = new Table().AddColumn("id").AddColumn("role").AddColumn("name").AddColumn("state");
                foreach (var p in parties)
                {
                    table.AddRow(Markup.Escape(p.Id), Party.RoleCode(p.Role) + (p.Profile.Interest is { } i ? $" ({i})" : ""), Markup.Escape(p.Name), p.RevokedAt is null ? "active" : "revoked");
                }
                Wide(console);
                console.Write(table);
            });
            return ExitCodes.Ok;
        });
        var revokeId = new Argument<string>("party");
        var revoke = new Command("revoke", "Revoke a party's access key (effective within 30 s)") { revokeId };
        revoke.SetAction(async (parse, ct) =>
        {
            var output = context.Output(parse);
            using var host = await context.StartServicesAsync(parse, migrate: true, ct);
            var result = await host.Services.GetRequiredService<PartyStore>().RevokeAsync(parse.GetValue(revokeId)!, ct);
            if (!result.IsSuccess)
            {
                return output.Fail(result.Error);
            }
            output.Result(new { id = result.Value.Id, revoked = true }, console => console.WriteLine($"Revoked {result.Value.Id}."));
            return ExitCodes.Ok;
        });
        group.Subcommands.Add(add);
        group.Subcommands.Add(list);
        group.Subcommands.Add(revoke);
        return group;
    }

    /// <summary>Tables keep their columns when the output goes to a file or a pipe (80 columns otherwise).</summary>
    private static void Wide(IAnsiConsole console) => console.Profile.Width = Math.Max(console.Profile.Width, 160);

    private static string F(double value, int decimals) => value.ToString("N" + decimals, CultureInfo.InvariantCulture);
}
