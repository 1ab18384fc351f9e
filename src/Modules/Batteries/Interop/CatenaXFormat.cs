using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Socle.Modules.Batteries.Access;
using Socle.Modules.Batteries.Parties;
using Socle.Modules.Batteries.Passports;
using Socle.Modules.Batteries.Schemas;

namespace Socle.Modules.Batteries.Interop;

/// <summary>What the Catena-X export needs besides the content: the registry's head and the operator's Catena-X numbers.</summary>
public sealed record CatenaXContext(PassportHead Head, PartyProfile Operator, string ResolverUrl);

/// <summary>
/// The Catena-X <c>io.catenax.battery.battery_pass</c> 6.1.0 document (Eclipse Tractus-X semantic model), made from the
/// access-filtered passport content and read back into it. The mapping is field by field (docs/batteries/interop.md);
/// where Catena-X requires a member the Battery Pass model has no value for, the choice is written here:
/// <list type="bullet">
/// <item>absent active materials (no nickel or cobalt in LFP, no lead in lithium batteries) are declared with 0 % recycled
/// content and location "none"; cadmium, mercury and lead not listed among hazardous substances are declared at 0 ppm;</item>
/// <item><c>metadata.predecessor</c> is the nil UUID for a first-life passport (and for readers who may not see the status);</item>
/// <item><c>metadata.version</c> is the registry version for readers who see the history, otherwise a digest of the
/// exported view (it changes only when what they see changes); <c>metadata.expirationDate</c> is the expected lifetime plus
/// ten years after manufacture; <c>metadata.backupReference</c> is the resolver address;</item>
/// <item>a fire class not written in the extinguishing agent's text ("Class D powder") is "unspecified".</item>
/// </list>
/// </summary>
public static class CatenaXFormat
{
    public const string SpecVersion = "urn:samm:io.catenax.battery.battery_pass:6.1.0#BatteryPass";
    public const string NilUuid = "00000000-0000-0000-0000-000000000000";

    private static readonly Dictionary<string, string> StageNames = new()
    {
        ["RawMaterialExtraction"] = "raw material acquisition and pre-processing",
        ["MainProduction"] = "main product production",
        ["Distribution"] = "distribution",
        ["Recycling"] = "end of life and recycling",
    };

    public static InteropDocument Export(JsonElement content, AccessGroup group, CatenaXContext context)
    {
        var view = AccessFilter.Filter(content, group);
        using var viewDoc = JsonDocument.Parse(view.ToJsonString());
        var v = viewDoc.RootElement;
        var seesHistory = AccessRules.CanSeeStatus(group);
        var head = context.Head;
        var op = context.Operator;

        string? T(string path) => PassportContent.Text(v, path);
        double? N(string path) => PassportContent.Number(v, path);
        JsonElement? At(string path) => PassportContent.At(v, path);

        var doc = new JsonObject { ["specVersion"] = SpecVersion };

        // identification
        BatteryIds.TryParse(head.BatteryId, out var gtin, out var serial);
        var codes = new JsonArray();
        if (gtin.Length > 0)
        {
            codes.Add(new JsonObject { ["key"] = "GTIN", ["value"] = gtin });
        }
        codes.Add(new JsonObject { ["key"] = "passportUrn", ["value"] = head.Id });
        doc["identification"] = new JsonObject
        {
            ["category"] = Category(T("generalProductInformation.batteryCategory") ?? head.Category),
            ["idDmc"] = T("generalProductInformation.productIdentifier") ?? head.BatteryId,
            ["chemistry"] = T("materialComposition.batteryChemistry.shortName"),
            ["identification"] = new JsonObject
            {
                ["serial"] = new JsonArray(new JsonObject { ["key"] = "partInstanceId", ["value"] = serial.Length > 0 ? serial : head.BatteryId }),
                ["type"] = new JsonObject
                {
                    ["manufacturerPartId"] = gtin.Length > 0 ? gtin : head.BatteryId,
                    ["nameAtManufacturer"] = T("materialComposition.batteryChemistry.clearName") is { } clear
                        ? $"{clear}, {Num(N("performance.batteryTechicalProperties.ratedEnergy"))} kWh" : head.BatteryId,
                },
                ["codes"] = codes,
                ["dataCarrier"] = new JsonObject { ["carrierType"] = "QR", ["carrierLayout"] = $"ISO/IEC 18004 QR code linking to {context.ResolverUrl}" },
                ["classification"] = new JsonArray(),
            },
        };

        // operation
        var manufacturer = new JsonObject
        {
            ["facility"] = op.Bpna is { } bpna ? new JsonArray(new JsonObject { ["facility"] = bpna }) : new JsonArray(),
            ["manufacturer"] = op.Bpnl,
        };
        if (Date(T("generalProductInformation.manufacturingDate")) is { } made)
        {
            manufacturer["manufacturingDate"] = made;
        }
        var operation = new JsonObject { ["manufacturer"] = manufacturer };
        if (Date(T("generalProductInformation.puttingIntoService")) is { } service)
        {
            operation["intoServiceDate"] = service;
        }
        doc["operation"] = operation;

        // characteristics
        var dimensions = new JsonObject();
        if (N("generalProductInformation.batteryMass") is { } mass)
        {
            dimensions["weight"] = new JsonObject { ["value"] = mass, ["unit"] = "unit:kilogram" };
        }
        foreach (var (name, key) in new[] { ("length", "length_mm"), ("width", "width_mm"), ("height", "height_mm") })
        {
            if (N($"extensions.physicalDimensions.{key}") is { } mm)
            {
                dimensions[name] = new JsonObject { ["value"] = mm, ["unit"] = "unit:millimetre" };
            }
        }
        var characteristics = new JsonObject { ["physicalDimension"] = dimensions };
        if (N("extensions.warrantyYears") is { } years)
        {
            characteristics["warranty"] = new JsonObject { ["lifeValue"] = years, ["lifeUnit"] = "unit:year" };
        }
        doc["characteristics"] = characteristics;

        // sustainability
        var documents = new JsonObject();
        if (T("circularity.endOfLifeInformation.separateCollection") is { } sc)
        {
            documents["separateCollection"] = Docs(("Separate collection", sc));
        }
        if (T("circularity.endOfLifeInformation.wastePrevention") is { } wp)
        {
            documents["wastePrevention"] = Docs(("Waste prevention", wp));
        }
        if (T("circularity.endOfLifeInformation.informationOnCollection") is { } ic)
        {
            documents["sustainabilityReport"] = Docs(("Collection, take-back and recycling", ic));
        }
        var sustainability = new JsonObject { ["documents"] = documents };
        if (At("carbonFootprint") is { ValueKind: JsonValueKind.Object })
        {
            var footprints = new JsonArray();
            var plant = op.Bpna is { } plantBpna ? new JsonArray(new JsonObject { ["facility"] = plantBpna }) : new JsonArray();
            var study = T("carbonFootprint.carbonFootprintStudy");
            JsonObject Footprint(double value, string lifecycle, string? performanceClass)
            {
                var f = new JsonObject
                {
                    ["value"] = value,
                    ["unit"] = "kg CO2 / kWh",
                    ["type"] = "Climate Change Total",
                    ["lifecycle"] = lifecycle,
                    ["rulebook"] = Docs(("Regulation (EU) 2023/1542 Art. 7 and Annex II", "https://eur-lex.europa.eu/eli/reg/2023/1542/oj")),
                    ["manufacturingPlant"] = plant.DeepClone(),
                    ["declaration"] = study is null ? new JsonArray() : Docs(("Carbon footprint study", study)),
                };
                if (performanceClass is not null)
                {
                    f["performanceClass"] = performanceClass;
                }
                return f;
            }
            if (N("carbonFootprint.batteryCarbonFootprint") is { } total)
            {
                footprints.Add(Footprint(total, "total", T("carbonFootprint.carbonFootprintPerformanceClass")));
            }
            if (At("carbonFootprint.carbonFootprintPerLifecycleStage") is { ValueKind: JsonValueKind.Array } stages)
            {
                foreach (var stage in stages.EnumerateArray())
                {
                    if (stage.TryGetProperty("lifecycleStage", out var name) && stage.TryGetProperty("carbonFootprint", out var value) && value.ValueKind == JsonValueKind.Number)
                    {
                        footprints.Add(Footprint(value.GetDouble(), StageNames.GetValueOrDefault(name.GetString()!, name.GetString()!), null));
                    }
                }
            }
            sustainability["carbonFootprint"] = footprints;
        }
        if (seesHistory && T("generalProductInformation.batteryStatus") is { } status)
        {
            sustainability["status"] = status switch
            {
                "Original" => "original",
                "Repurposed" => "repurposed",
                "Reused" => "re-used",
                "Remanufactured" => "remanufactured",
                _ => "waste",
            };
        }
        doc["sustainability"] = sustainability;

        // materials
        doc["materials"] = Materials(v, N("generalProductInformation.batteryMass"));

        // performance
        doc["performance"] = Performance(v);

        // conformity
        var conformity = new JsonObject();
        if (T("labels.declarationOfConformity") is { } doc1)
        {
            conformity["declarationOfConformity"] = Docs(("EU declaration of conformity", doc1));
        }
        if (T("labels.resultOfTestReport") is { } reports)
        {
            conformity["resultOfTestReport"] = Docs(("Test reports", reports));
        }
        if (T("supplyChainDueDiligence.thirdPartyAussurances") is { } assurance)
        {
            conformity["thirdPartyAssurance"] = Docs(("Third-party supply-chain assurance", assurance));
        }
        if (T("supplyChainDueDiligence.supplyChainDueDiligenceReport") is { } dd)
        {
            conformity["dueDiligencePolicy"] = Docs(("Due diligence report (Art. 52)", dd));
        }
        doc["conformity"] = conformity;

        // safety
        var safety = new JsonObject();
        if (At("circularity.safetyMeasures.extinguishingAgent") is { ValueKind: JsonValueKind.Array } agents)
        {
            safety["usableExtinguishAgent"] = new JsonArray([.. agents.EnumerateArray().Select(a => (JsonNode)new JsonObject
            {
                ["media"] = a.GetString(),
                ["fireClass"] = FireClass(a.GetString() ?? ""),
            })]);
        }
        if (T("circularity.safetyMeasures.safetyInstructions") is { } instructions)
        {
            safety["safetyMeasures"] = Docs(("Safety measures and instructions", instructions));
        }
        if (At("labels.labels") is { ValueKind: JsonValueKind.Array } labels)
        {
            safety["meaningOfLabels"] = new JsonArray([.. labels.EnumerateArray().Select(l => (JsonNode)Doc(
                Header(l.TryGetProperty("labelingSubject", out var s) ? s.GetString()! : "Label", l),
                l.TryGetProperty("labelingSymbol", out var sym) ? sym.GetString()! : ""))]);
        }
        if (At("circularity.dismantlingAndRemovalInformation") is { ValueKind: JsonValueKind.Array } dismantling)
        {
            var all = dismantling.EnumerateArray().ToList();
            safety["dismantling"] = new JsonArray([.. all.Where(d => d.GetProperty("documentType").GetString() != "RemovalManual").Select(DismantlingDoc)]);
            var removal = all.Where(d => d.GetProperty("documentType").GetString() == "RemovalManual").Select(DismantlingDoc).ToList();
            if (removal.Count > 0)
            {
                safety["removalFromAppliance"] = new JsonArray([.. removal]);
            }
        }
        doc["safety"] = safety;

        // metadata (after everything else: the digest covers what the reader sees)
        var issue = Date(Platform.Storage.Sql.Time(head.CreatedAt))!;
        var lifetime = N("performance.batteryTechicalProperties.expectedLifetime") is { } l and > 0 ? (int)Math.Ceiling(l) : 10;
        var madeAt = DateOnly.TryParseExact(Date(T("generalProductInformation.manufacturingDate")) ?? issue, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var m)
            ? m : DateOnly.ParseExact(issue, "yyyy-MM-dd", CultureInfo.InvariantCulture);
        var metadata = new JsonObject
        {
            ["version"] = seesHistory ? head.CurrentVersion.ToString(CultureInfo.InvariantCulture) : "v-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(doc.ToJsonString())))[..12],
            ["expirationDate"] = madeAt.AddYears(lifetime + 10).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["issueDate"] = issue,
            ["economicOperatorId"] = op.Bpnl,
            ["passportIdentifier"] = head.Uuid.ToString("D"),
            ["predecessor"] = NilUuid,
            ["backupReference"] = context.ResolverUrl,
        };
        if (seesHistory)
        {
            metadata["status"] = head.Lifecycle == PassportLifecycle.Active ? "approved" : "expired";
            metadata["lastModification"] = Date(Platform.Storage.Sql.Time(head.UpdatedAt));
            if (head.PredecessorId is not null)
            {
                metadata["predecessor"] = PassportIds.UuidOf(head.PredecessorId)?.ToString("D") ?? NilUuid;
            }
        }
        doc["metadata"] = metadata;

        // commercial and handling
        doc["commercial"] = new JsonObject { ["purpose"] = new JsonArray(Purpose(head.Category)) };
        var spareParts = new JsonArray();
        if (At("circularity.sparePartSources") is { ValueKind: JsonValueKind.Array } sources)
        {
            foreach (var source in sources.EnumerateArray())
            {
                if (source.TryGetProperty("components", out var components))
                {
                    foreach (var c in components.EnumerateArray())
                    {
                        spareParts.Add(new JsonObject { ["manufacturerPartId"] = c.GetProperty("partNumber").GetString(), ["nameAtManufacturer"] = c.GetProperty("partName").GetString() });
                    }
                }
            }
        }
        doc["handling"] = new JsonObject
        {
            ["content"] = new JsonObject
            {
                ["producer"] = op.Bpnl is { } producer ? new JsonArray(new JsonObject { ["id"] = producer }) : new JsonArray(),
                ["sparePart"] = spareParts,
            },
            ["applicable"] = spareParts.Count > 0,
        };

        RemoveNulls(doc);
        using var check = JsonDocument.Parse(doc.ToJsonString());
        return new InteropDocument("BatteryPass", SchemaCatalog.CatenaX, doc, SchemaCatalog.Published(SchemaCatalog.CatenaX).Validate(check.RootElement));
    }

    private static JsonObject Materials(JsonElement v, double? batteryMass)
    {
        var recycled = new Dictionary<string, double>(StringComparer.OrdinalIgnoreCase);
        if (PassportContent.At(v, "circularity.recycledContent") is { ValueKind: JsonValueKind.Array } list)
        {
            foreach (var r in list.EnumerateArray())
            {
                var pre = r.TryGetProperty("preConsumerShare", out var a) && a.ValueKind == JsonValueKind.Number ? a.GetDouble() : 0;
                var post = r.TryGetProperty("postConsumerShare", out var b) && b.ValueKind == JsonValueKind.Number ? b.GetDouble() : 0;
                recycled[r.GetProperty("recycledMaterial").GetString()!] = pre + post;
            }
        }
        var materials = PassportContent.At(v, "materialComposition.batteryMaterials") is { ValueKind: JsonValueKind.Array } m ? m.EnumerateArray().ToList() : [];
        JsonElement? Find(string element) => materials.Cast<JsonElement?>().FirstOrDefault(x =>
            x!.Value.GetProperty("batteryMaterialName").GetString()!.StartsWith(element, StringComparison.OrdinalIgnoreCase));
        JsonObject Active(string element)
        {
            var found = Find(element);
            return new JsonObject
            {
                ["location"] = found is { } f ? f.GetProperty("batteryMaterialLocation").GetProperty("componentName").GetString() : "none",
                ["recycled"] = recycled.GetValueOrDefault(element),
                ["documentation"] = new JsonArray(),
                ["critical"] = found is { } c && c.GetProperty("isCriticalRawMaterial").GetBoolean(),
            };
        }
        var hazardousListed = PassportContent.At(v, "materialComposition.hazardousSubstances") is { ValueKind: JsonValueKind.Array } h ? h.EnumerateArray().ToList() : [];
        JsonObject Heavy(string element, string cas, bool withRecycled)
        {
            var listed = hazardousListed.Cast<JsonElement?>().FirstOrDefault(x => x!.Value.GetProperty("hazardousSubstanceIdentifier").GetString() == cas);
            var o = new JsonObject
            {
                ["impactOfSubstances"] = listed is { } l ? new JsonArray([.. l.GetProperty("hazardousSubstanceImpact").EnumerateArray().Select(i => (JsonNode)Doc("Hazard statement", i.GetString()!, "text/plain"))]) : new JsonArray(),
                ["critical"] = false,
                ["documentation"] = new JsonArray(),
                ["location"] = listed is { } loc ? loc.GetProperty("hazardousSubstanceLocation").GetProperty("componentName").GetString() : "none",
                ["concentration"] = listed is { } conc ? conc.GetProperty("hazardousSubstanceConcentration").GetDouble() : 0,
                ["materialUnit"] = listed is null ? "unit:partPerMillion" : "unit:percent",
            };
            if (withRecycled)
            {
                o["recycled"] = recycled.GetValueOrDefault(element);
            }
            return o;
        }
        var composition = new JsonArray();
        foreach (var material in materials)
        {
            var name = material.GetProperty("batteryMaterialName").GetString()!;
            var share = batteryMass is > 0 && material.TryGetProperty("batteryMaterialMass", out var mm) && mm.ValueKind == JsonValueKind.Number ? mm.GetDouble() / batteryMass.Value * 100 : 0;
            composition.Add(new JsonObject
            {
                ["id"] = new JsonArray(new JsonObject { ["id"] = material.GetProperty("batteryMaterialIdentifier").GetString(), ["type"] = "CAS", ["name"] = name }),
                ["concentration"] = Math.Round(share, 4),
                ["unit"] = "unit:percent",
                ["critical"] = material.GetProperty("isCriticalRawMaterial").GetBoolean(),
                ["documentation"] = new JsonArray(),
                ["recycled"] = recycled.FirstOrDefault(r => name.StartsWith(r.Key, StringComparison.OrdinalIgnoreCase)).Value,
                ["location"] = material.GetProperty("batteryMaterialLocation").GetProperty("componentName").GetString(),
                ["renewable"] = 0,
            });
        }
        return new JsonObject
        {
            ["active"] = new JsonObject
            {
                ["nickel"] = Active("Nickel"),
                ["lithium"] = Active("Lithium"),
                ["cobalt"] = Active("Cobalt"),
                ["lead"] = Heavy("Lead", "7439-92-1", withRecycled: true),
            },
            ["hazardous"] = new JsonObject
            {
                ["cadmium"] = Heavy("Cadmium", "7440-43-9", withRecycled: false),
                ["mercury"] = Heavy("Mercury", "7439-97-6", withRecycled: false),
                ["lead"] = Heavy("Lead", "7439-92-1", withRecycled: true),
            },
            ["composition"] = composition,
        };
    }

    private static JsonObject Performance(JsonElement v)
    {
        const string T = "performance.batteryTechicalProperties";
        const string C = "performance.batteryCondition";
        double? N(string path) => PassportContent.Number(v, path);
        string? Text(string path) => PassportContent.Text(v, path);
        double? PowerAt(double soc) => PassportContent.At(v, $"{T}.originalPowerCapability") is { ValueKind: JsonValueKind.Array } list
            ? list.EnumerateArray().Where(e => e.TryGetProperty("atSoC", out var s) && Math.Abs(s.GetDouble() - soc) < 1e-9).Select(e => (double?)e.GetProperty("powerCapabilityAt").GetDouble()).FirstOrDefault()
            : null;
        double? Resistance(string list, string component, string valueName) => PassportContent.At(v, list) is { ValueKind: JsonValueKind.Array } items
            ? items.EnumerateArray().Where(e => e.TryGetProperty("batteryComponent", out var c) && c.GetString() == component).Select(e => (double?)e.GetProperty(valueName).GetDouble()).FirstOrDefault()
            : null;
        string? ResistanceTime(string component) => PassportContent.At(v, $"{C}.internalResistanceIncrease") is { ValueKind: JsonValueKind.Array } items
            ? items.EnumerateArray().Where(e => e.TryGetProperty("batteryComponent", out var c) && c.GetString() == component).Select(e => e.GetProperty("lastUpdate").GetString()).FirstOrDefault()
            : null;

        var rated = new JsonObject();
        Put(rated, "voltage", Obj(("min", N($"{T}.minimumVoltage")), ("max", N($"{T}.maximumVoltage")), ("nominal", N($"{T}.nominalVoltage"))));
        Put(rated, "roundTripEfficiency", Obj(("depthOfDischarge", N("extensions.roundTripEfficiencyDepthOfDischarge_pct")), ("initial", N($"{T}.roundtripEfficiency")), ("50PercentLife", N($"{T}.roundTripEfficiencyat50PerCentCycleLife"))));
        Put(rated, "energy", Obj(("value", N($"{T}.ratedEnergy"))));
        var initialCell = Resistance($"{T}.initialInternalResistance", "cell", "ohmicResistance");
        var initialPack = Resistance($"{T}.initialInternalResistance", "pack", "ohmicResistance");
        var initialModule = Resistance($"{T}.initialInternalResistance", "module", "ohmicResistance");
        Put(rated, "resistance", Obj(("cell", initialCell), ("pack", initialPack), ("module", initialModule)));
        Put(rated, "power", Obj(("value", N($"{T}.ratedMaximumPower")), ("at20SoC", PowerAt(20)), ("at80SoC", PowerAt(80))));
        Put(rated, "capacity", Obj(("value", N($"{T}.ratedCapacity")), ("thresholdExhaustion", N($"{T}.capacityThresholdForExhaustion"))));
        Put(rated, "temperature", Obj(("lower", N($"{T}.temperatureRangeIdleState.minimum")), ("upper", N($"{T}.temperatureRangeIdleState.maximum"))));
        if (N($"{T}.initialSelfDischarge") is { } sd)
        {
            rated["selfDischargingRate"] = sd;
        }
        var lifetime = Obj(("expectedYears", N($"{T}.expectedLifetime")));
        if (lifetime is not null)
        {
            lifetime["report"] = Text($"{T}.lifetimeReferenceTest") is { } report ? Docs(("Lifetime reference test", report)) : new JsonArray();
            Put(lifetime, "cycleLifeTesting", Obj(
                ("temperature", N("extensions.cycleLifeTest.temperature_c")),
                ("cycles", N($"{T}.expectedNumberOfCycles")),
                ("depthOfDischarge", N("extensions.cycleLifeTest.depthOfDischarge_pct")),
                ("appliedChargeRate", N("extensions.cycleLifeTest.chargeRate_c") ?? N($"{T}.cRateLifeCycleTest")),
                ("appliedDischargeRate", N("extensions.cycleLifeTest.dischargeRate_c") ?? N($"{T}.cRateLifeCycleTest"))));
            rated["lifetime"] = lifetime;
        }

        JsonObject? Timed(double? value, string? time) => value is { } x && time is not null ? new JsonObject { ["value"] = x, ["time"] = time } : null;
        JsonObject? Dyn(string name, string valueName) => Timed(N($"{C}.{name}.{valueName}"), Text($"{C}.{name}.lastUpdate"));
        var dynamic = new JsonObject();
        Put(dynamic, "stateOfCharge", Dyn("stateOfCharge", "stateOfChargeValue"));
        Put(dynamic, "fullCycles", Dyn("numberOfFullCycles", "numberOfFullCyclesValue"));
        if (N($"{C}.currentSelfDischargingRate.currentSelfDischargingRateValue") is { } current)
        {
            dynamic["selfDischargingRate"] = current;
        }
        var powerTime = Text($"{C}.remainingPowerCapability.lastUpdate");
        Put(dynamic, "power", Both(
            ("fade", Timed(N($"{T}.powerFade"), powerTime)),
            ("remaining", Timed(N($"{C}.remainingPowerCapability.remainingPowerCapabilityValue.powerCapabilityAt"), powerTime))));
        Put(dynamic, "capacity", Both(
            ("fade", Dyn("capacityFade", "capacityFadeValue")),
            ("throughput", Dyn("capacityThroughput", "capacityThroughputValue")),
            ("capacity", Dyn("remainingCapacity", "remainingCapacityValue"))));
        var efficiencyTime = Text($"{C}.remainingRoundTripEnergyEfficiency.lastUpdate");
        Put(dynamic, "roundTripEfficiency", Both(
            ("fade", Timed(N($"{T}.roundTripEfficiencyFade"), efficiencyTime)),
            ("remaining", Dyn("remainingRoundTripEnergyEfficiency", "remainingRoundTripEnergyEfficiencyValue"))));
        JsonObject? Increase(string component) => Timed(Resistance($"{C}.internalResistanceIncrease", component, "internalResistanceIncreaseValue"), ResistanceTime(component));
        JsonObject? Remaining(string component, double? initial) =>
            initial is { } r0 && Resistance($"{C}.internalResistanceIncrease", component, "internalResistanceIncreaseValue") is { } pct
                ? new JsonObject { ["value"] = Math.Round(r0 * (1 + (pct / 100)), 9), ["time"] = ResistanceTime(component) } : null;
        Put(dynamic, "resistance", Both(
            ("increase", Both(("pack", Increase("pack")), ("cell", Increase("cell")), ("module", Increase("module")))),
            ("remaining", Both(("pack", Remaining("pack", initialPack)), ("cell", Remaining("cell", initialCell)), ("module", Remaining("module", initialModule))))));
        Put(dynamic, "energy", Both(
            ("soce", Dyn("stateOfCertifiedEnergy", "stateOfCertifiedEnergyValue")),
            ("remaining", Dyn("remainingEnergy", "remainingEnergyValue")),
            ("throughput", Dyn("energyThroughput", "energyThroughputValue"))));
        if (PassportContent.At(v, $"{C}.negativeEvents") is { ValueKind: JsonValueKind.Array } events)
        {
            dynamic["negativeEvents"] = new JsonArray([.. events.EnumerateArray().Select(e => (JsonNode)new JsonObject
            {
                ["content"] = e.GetProperty("negativeEvent").GetString(),
                ["contentType"] = "text/plain",
                ["header"] = Clip($"Negative event {e.GetProperty("lastUpdate").GetString()}"),
            })]);
        }
        if (PassportContent.At(v, $"{C}.temperatureInformation") is { ValueKind: JsonValueKind.Object } temperatures)
        {
            dynamic["operatingEnvironment"] = new JsonArray(new JsonObject
            {
                ["content"] = temperatures.GetRawText(),
                ["contentType"] = "application/json",
                ["header"] = "Time spent at extreme temperatures (h)",
            });
        }
        var performance = new JsonObject();
        if (rated.Count > 0)
        {
            performance["rated"] = rated;
        }
        if (dynamic.Count > 0)
        {
            performance["dynamic"] = dynamic;
        }
        return performance;
    }

    // ---- import ---------------------------------------------------------------------------------------------------

    /// <summary>
    /// Reads a Catena-X battery_pass 6.1.0 document into passport content, after validating it against the published schema
    /// (an invalid document is refused with each JSONPath and reason). What Battery Pass 1.2 cannot hold (BPNs, document
    /// headers) is dropped, with a note; what Catena-X lacks stays absent and the completeness report names it.
    /// </summary>
    public static ImportedContent Import(JsonElement document, string urnNamespace)
    {
        var errors = SchemaCatalog.Get(SchemaCatalog.CatenaX).Validate(document);
        if (errors.Count > 0)
        {
            return new ImportedContent(null, [.. errors.Select(e => new ImportProblem("BatteryPass", e.Path, e.Message))], []);
        }
        var notes = new List<string>();
        string? T(string path) => PassportContent.Text(document, path);
        double? N(string path) => PassportContent.Number(document, path);
        string? FirstDoc(string path) => PassportContent.At(document, path) is { ValueKind: JsonValueKind.Array } a && a.GetArrayLength() > 0 && a[0].TryGetProperty("content", out var c) ? c.GetString() : null;

        var content = new JsonObject();
        var uuid = Guid.Parse(T("metadata.passportIdentifier")!.Replace("urn:uuid:", "", StringComparison.Ordinal));
        var general = new JsonObject
        {
            ["batteryPassportIdentifier"] = PassportIds.FromUuid(urnNamespace, uuid),
            ["productIdentifier"] = T("identification.idDmc"),
            ["batteryCategory"] = T("identification.category") switch
            {
                "EV" => "ev",
                "LMT" => "lmt",
                _ => "industrial",
            },
        };
        if (T("identification.category") is not ("EV" or "LMT" or "industrial"))
        {
            notes.Add($"identification.category {T("identification.category")} has no Battery Pass category; recorded as industrial");
        }
        if (N("characteristics.physicalDimension.weight.value") is { } weight)
        {
            general["batteryMass"] = T("characteristics.physicalDimension.weight.unit") switch
            {
                "unit:gram" => weight / 1000,
                "unit:tonneMetricTon" => weight * 1000,
                _ => weight,
            };
        }
        // Catena-X checks dates with a regular expression only (its sample says 7172-75-08): keep calendar dates
        foreach (var (from, to) in new[] { ("operation.manufacturer.manufacturingDate", "manufacturingDate"), ("operation.intoServiceDate", "puttingIntoService") })
        {
            if (T(from) is { } date)
            {
                if (Formats.IsDate(date))
                {
                    general[to] = date + "T00:00:00Z";
                }
                else
                {
                    notes.Add($"{from} {date} is not a calendar date; left out");
                }
            }
        }
        if (T("sustainability.status") is { } status)
        {
            general["batteryStatus"] = status switch
            {
                "repurposed" => "Repurposed",
                "re-used" => "Reused",
                "remanufactured" => "Remanufactured",
                "waste" => "Waste",
                _ => "Original",
            };
        }
        general["manufacturerInformation"] = new JsonObject
        {
            ["contactName"] = T("operation.manufacturer.manufacturer"),
            ["postalAddress"] = new JsonObject { ["addressCountry"] = "", ["postalCode"] = "", ["streetAddress"] = "" },
            ["identifier"] = T("operation.manufacturer.manufacturer"),
        };
        notes.Add("manufacturer: Catena-X gives only a BPNL; the contact name and address are to be completed");
        content[PassportContent.General] = general;

        var extensions = new JsonObject();
        if (N("characteristics.warranty.lifeValue") is { } life)
        {
            var unit = T("characteristics.warranty.lifeUnit");
            double? yearsValue = unit switch { "unit:year" => life, "unit:month" => life / 12, "unit:day" => life / 365.25, _ => null };
            if (yearsValue is { } y)
            {
                extensions["warrantyYears"] = Math.Round(y, 2);
            }
            else
            {
                notes.Add($"warranty of {life} {unit} is not a duration in time; left out");
            }
        }
        var dimensions = new JsonObject();
        foreach (var name in new[] { "length", "width", "height" })
        {
            if (N($"characteristics.physicalDimension.{name}.value") is { } value)
            {
                dimensions[$"{name}_mm"] = T($"characteristics.physicalDimension.{name}.unit") switch
                {
                    "unit:centimetre" => value * 10,
                    "unit:metre" => value * 1000,
                    _ => value,
                };
            }
        }
        if (dimensions.Count > 0)
        {
            extensions["physicalDimensions"] = dimensions;
        }
        if (extensions.Count > 0)
        {
            content[PassportContent.Extensions] = extensions;
        }

        if (T("identification.chemistry") is { } chemistry)
        {
            content[PassportContent.Materials] = new JsonObject { ["batteryChemistry"] = new JsonObject { ["shortName"] = chemistry, ["clearName"] = chemistry } };
        }
        var recycled = new JsonArray();
        foreach (var (element, name) in new[] { ("nickel", "Nickel"), ("lithium", "Lithium"), ("cobalt", "Cobalt"), ("lead", "Lead") })
        {
            if (N($"materials.active.{element}.recycled") is { } share and > 0)
            {
                recycled.Add(new JsonObject { ["recycledMaterial"] = name, ["preConsumerShare"] = 0, ["postConsumerShare"] = Math.Min(100, share) });
            }
        }
        var circularity = new JsonObject();
        if (recycled.Count > 0)
        {
            circularity["recycledContent"] = recycled;
            notes.Add("recycled content: Catena-X gives one share per metal; recorded as post-consumer");
        }
        var endOfLife = new JsonObject();
        if (FirstDoc("sustainability.documents.separateCollection") is { } sc && Formats.IsUri(sc))
        {
            endOfLife["separateCollection"] = sc;
        }
        if (FirstDoc("sustainability.documents.wastePrevention") is { } wp && Formats.IsUri(wp))
        {
            endOfLife["wastePrevention"] = wp;
        }
        if (endOfLife.Count > 0)
        {
            circularity["endOfLifeInformation"] = endOfLife;
        }
        if (PassportContent.At(document, "safety.usableExtinguishAgent") is { ValueKind: JsonValueKind.Array } agents)
        {
            circularity["safetyMeasures"] = new JsonObject { ["extinguishingAgent"] = new JsonArray([.. agents.EnumerateArray().Select(a => (JsonNode)a.GetProperty("media").GetString()!)]) };
        }
        if (circularity.Count > 0)
        {
            content[PassportContent.Circularity] = circularity;
        }

        if (PassportContent.At(document, "sustainability.carbonFootprint") is { ValueKind: JsonValueKind.Array } footprints && footprints.GetArrayLength() > 0)
        {
            var cf = new JsonObject();
            var total = footprints.EnumerateArray().FirstOrDefault(f => f.GetProperty("lifecycle").GetString() is "total" or "Total");
            if (total.ValueKind == JsonValueKind.Object)
            {
                cf["batteryCarbonFootprint"] = total.GetProperty("value").GetDouble();
                if (total.TryGetProperty("performanceClass", out var pc))
                {
                    cf["carbonFootprintPerformanceClass"] = pc.GetString();
                }
            }
            var stages = new JsonArray();
            foreach (var f in footprints.EnumerateArray())
            {
                var stage = StageNames.FirstOrDefault(s => s.Value == f.GetProperty("lifecycle").GetString()).Key;
                if (stage is not null)
                {
                    stages.Add(new JsonObject { ["lifecycleStage"] = stage, ["carbonFootprint"] = f.GetProperty("value").GetDouble() });
                }
            }
            if (stages.Count > 0)
            {
                cf["carbonFootprintPerLifecycleStage"] = stages;
            }
            if (cf.Count > 0)
            {
                content[PassportContent.CarbonFootprint] = cf;
            }
        }

        const string R = "performance.rated";
        var technical = new JsonObject();
        void Tech(string name, double? value)
        {
            if (value is { } x)
            {
                technical[name] = x;
            }
        }
        Tech("ratedCapacity", N($"{R}.capacity.value"));
        Tech("ratedEnergy", N($"{R}.energy.value"));
        Tech("nominalVoltage", N($"{R}.voltage.nominal"));
        Tech("minimumVoltage", N($"{R}.voltage.min"));
        Tech("maximumVoltage", N($"{R}.voltage.max"));
        Tech("ratedMaximumPower", N($"{R}.power.value"));
        Tech("capacityThresholdForExhaustion", N($"{R}.capacity.thresholdExhaustion"));
        Tech("initialSelfDischarge", N($"{R}.selfDischargingRate"));
        Tech("roundtripEfficiency", N($"{R}.roundTripEfficiency.initial"));
        Tech("roundTripEfficiencyat50PerCentCycleLife", N($"{R}.roundTripEfficiency.50PercentLife"));
        Tech("expectedLifetime", N($"{R}.lifetime.expectedYears"));
        Tech("expectedNumberOfCycles", N($"{R}.lifetime.cycleLifeTesting.cycles"));
        if (N($"{R}.temperature.lower") is { } lower && N($"{R}.temperature.upper") is { } upper)
        {
            technical["temperatureRangeIdleState"] = new JsonObject { ["minimum"] = lower, ["maximum"] = upper };
        }
        var powers = new JsonArray();
        foreach (var (soc, key) in new[] { (20, "at20SoC"), (80, "at80SoC") })
        {
            if (N($"{R}.power.{key}") is { } p)
            {
                powers.Add(new JsonObject { ["atSoC"] = soc, ["powerCapabilityAt"] = p });
            }
        }
        if (powers.Count > 0)
        {
            technical["originalPowerCapability"] = powers;
        }
        var resistances = new JsonArray();
        foreach (var component in new[] { "pack", "module", "cell" })
        {
            if (N($"{R}.resistance.{component}") is { } r)
            {
                resistances.Add(new JsonObject { ["batteryComponent"] = component, ["ohmicResistance"] = r });
            }
        }
        if (resistances.Count > 0)
        {
            technical["initialInternalResistance"] = resistances;
        }
        if (technical.Count > 0)
        {
            content[PassportContent.Performance] = new JsonObject { ["batteryTechicalProperties"] = technical };
        }

        var labels = new JsonObject();
        if (FirstDoc("conformity.declarationOfConformity") is { } declaration && Formats.IsUri(declaration))
        {
            labels["declarationOfConformity"] = declaration;
        }
        if (FirstDoc("conformity.resultOfTestReport") is { } tests && Formats.IsUri(tests))
        {
            labels["resultOfTestReport"] = tests;
        }
        if (labels.Count > 0)
        {
            content[PassportContent.Labels] = labels;
        }
        if (FirstDoc("conformity.dueDiligencePolicy") is { } dd && Formats.IsUri(dd))
        {
            content[PassportContent.DueDiligence] = new JsonObject { ["supplyChainDueDiligenceReport"] = dd };
        }
        notes.Add("business partner numbers, document headers and dynamic values are not carried into Battery Pass sections");
        return new ImportedContent(content, [], notes);
    }

    // ---- helpers ----------------------------------------------------------------------------------------------------

    private static string Category(string category) => category switch
    {
        "ev" => "EV",
        "lmt" => "LMT",
        _ => "industrial", // stationary storage above 2 kWh is an industrial battery under the Regulation (Art. 3(13))
    };

    private static string Purpose(string category) => category switch
    {
        "ev" => "Traction battery of an electric vehicle",
        "lmt" => "Battery of a light means of transport",
        "stationary" => "Stationary battery energy storage system",
        _ => "Industrial battery",
    };

    private static string FireClass(string agent)
    {
        var i = agent.IndexOf("Class ", StringComparison.OrdinalIgnoreCase);
        return i >= 0 && i + 6 < agent.Length && char.IsAsciiLetterUpper(agent[i + 6]) ? agent[i + 6].ToString() : "unspecified";
    }

    private static JsonArray Docs(params (string Header, string Url)[] documents) =>
        new([.. documents.Select(d => (JsonNode)Doc(d.Header, d.Url))]);

    private static JsonObject Doc(string header, string content, string contentType = "URL") =>
        new() { ["content"] = content, ["contentType"] = contentType, ["header"] = Clip(header) };

    private static JsonNode DismantlingDoc(JsonElement d) =>
        Doc(d.GetProperty("documentType").GetString()!, d.GetProperty("documentURL").GetString()!, d.GetProperty("mimeType").GetString()!);

    private static string Header(string subject, JsonElement label)
    {
        if (label.TryGetProperty("labelingMeaning", out var meaning) && meaning.ValueKind == JsonValueKind.Object)
        {
            foreach (var lang in new[] { "en", "fr" })
            {
                if (meaning.TryGetProperty(lang, out var text) && text.ValueKind == JsonValueKind.String)
                {
                    return text.GetString()!;
                }
            }
        }
        return subject;
    }

    private static string Clip(string header) => header.Length <= 100 ? header : header[..99] + "…";

    private static string? Date(string? dateTime) =>
        dateTime is not null && DateTimeOffset.TryParse(dateTime, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? at.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : null;

    private static string Num(double? value) => value?.ToString("0.##", CultureInfo.InvariantCulture) ?? "?";

    private static JsonObject? Obj(params (string Name, double? Value)[] members)
    {
        if (members.All(m => m.Value is null))
        {
            return null;
        }
        var o = new JsonObject();
        foreach (var (name, value) in members)
        {
            if (value is { } x)
            {
                o[name] = x;
            }
        }
        return o;
    }

    private static JsonObject? Both(params (string Name, JsonObject? Value)[] members)
    {
        var o = new JsonObject();
        foreach (var (name, value) in members)
        {
            if (value is { Count: > 0 })
            {
                o[name] = value;
            }
        }
        return o.Count > 0 ? o : null;
    }

    private static void Put(JsonObject target, string name, JsonObject? value)
    {
        if (value is { Count: > 0 })
        {
            target[name] = value;
        }
    }

    private static void RemoveNulls(JsonNode? node)
    {
        if (node is JsonObject o)
        {
            foreach (var (key, value) in o.ToList())
            {
                if (value is null)
                {
                    o.Remove(key);
                }
                else
                {
                    RemoveNulls(value);
                }
            }
        }
        else if (node is JsonArray a)
        {
            foreach (var item in a)
            {
                RemoveNulls(item);
            }
        }
    }
}
