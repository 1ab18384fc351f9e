using System.Text.Json;
using Socle.Modules.Batteries.Access;
using Socle.Modules.Batteries.Schemas;

namespace Socle.Batteries.Tests.Access;

public class AccessFilterTests
{
    public static TheoryData<AccessGroup> Groups() => [.. Enum.GetValues<AccessGroup>()];

    [Theory, MemberData(nameof(Groups))]
    public void Every_attribute_is_shown_or_absent_as_annex_XIII_says(AccessGroup group)
    {
        var full = AccessMatrix.FullContent();
        var view = AccessFilter.Filter(full, group);
        using var doc = JsonDocument.Parse(view.ToJsonString());
        Assert.Empty(AccessMatrix.Violations(full, group, doc.RootElement));
    }

    [Fact]
    public void The_matrix_check_itself_catches_leaks_and_omissions()
    {
        var full = AccessMatrix.FullContent();
        var leaks = AccessMatrix.Violations(full, AccessGroup.Public, full);
        Assert.Contains("generalProductInformation.batteryStatus: Public may not read it but it is present", leaks);
        Assert.Contains(leaks, v => v.StartsWith("labels.resultOfTestReport: its value", StringComparison.Ordinal));
        using var empty = JsonDocument.Parse("{}");
        Assert.Contains("materialComposition.batteryChemistry: Commission may read it but it is absent", AccessMatrix.Violations(full, AccessGroup.Commission, empty.RootElement));
        // a restricted value copied elsewhere in the page text is a leak even when its property is gone
        var filtered = AccessFilter.Filter(full, AccessGroup.Public).ToJsonString();
        using var view = JsonDocument.Parse(filtered);
        Assert.Contains(AccessMatrix.Violations(full, AccessGroup.Public, view.RootElement, filtered + "Thermal event in module 7 after crash"),
            v => v.StartsWith("performance.batteryCondition.negativeEvents", StringComparison.Ordinal));
    }

    [Fact]
    public void The_rules_per_group_are_those_of_annex_XIII()
    {
        // (group, level) → readable; one line per cell of the table in docs/batteries/access.md
        var expected = new Dictionary<(AccessGroup, AccessLevel), bool>
        {
            [(AccessGroup.Public, AccessLevel.Public)] = true,
            [(AccessGroup.Public, AccessLevel.LegitimateInterestAndCommission)] = false,
            [(AccessGroup.Public, AccessLevel.AuthoritiesAndCommission)] = false,
            [(AccessGroup.Public, AccessLevel.LegitimateInterestOnly)] = false,
            [(AccessGroup.LegitimateInterest, AccessLevel.Public)] = true,
            [(AccessGroup.LegitimateInterest, AccessLevel.LegitimateInterestAndCommission)] = true,
            [(AccessGroup.LegitimateInterest, AccessLevel.AuthoritiesAndCommission)] = false,
            [(AccessGroup.LegitimateInterest, AccessLevel.LegitimateInterestOnly)] = true,
            [(AccessGroup.Authorities, AccessLevel.Public)] = true,
            [(AccessGroup.Authorities, AccessLevel.LegitimateInterestAndCommission)] = false,
            [(AccessGroup.Authorities, AccessLevel.AuthoritiesAndCommission)] = true,
            [(AccessGroup.Authorities, AccessLevel.LegitimateInterestOnly)] = false,
            [(AccessGroup.Commission, AccessLevel.Public)] = true,
            [(AccessGroup.Commission, AccessLevel.LegitimateInterestAndCommission)] = true,
            [(AccessGroup.Commission, AccessLevel.AuthoritiesAndCommission)] = true,
            [(AccessGroup.Commission, AccessLevel.LegitimateInterestOnly)] = false,
            [(AccessGroup.Operator, AccessLevel.Public)] = true,
            [(AccessGroup.Operator, AccessLevel.LegitimateInterestAndCommission)] = true,
            [(AccessGroup.Operator, AccessLevel.AuthoritiesAndCommission)] = true,
            [(AccessGroup.Operator, AccessLevel.LegitimateInterestOnly)] = true,
        };
        foreach (var ((group, level), readable) in expected)
        {
            Assert.True(readable == AccessRules.CanRead(group, level), $"{group} × {level}");
        }
        Assert.Equal(Enum.GetValues<AccessGroup>().Length * Enum.GetValues<AccessLevel>().Length, expected.Count);
    }

    [Fact]
    public void An_object_holding_only_restricted_attributes_disappears_entirely()
    {
        using var doc = JsonDocument.Parse("""
            {"performance":{"batteryCondition":{"stateOfCharge":{"stateOfChargeValue":50,"lastUpdate":"2026-01-01T00:00:00Z"}}},
             "labels":{"resultOfTestReport":"https://example.org/r.pdf"}}
            """);
        Assert.Equal("{}", AccessFilter.Filter(doc.RootElement, AccessGroup.Public).ToJsonString());
        Assert.Equal("""{"labels":{"resultOfTestReport":"https://example.org/r.pdf"}}""", AccessFilter.Filter(doc.RootElement, AccessGroup.Authorities).ToJsonString());
    }

    [Fact]
    public void Properties_the_catalogue_does_not_know_are_shown_to_the_operator_only()
    {
        using var doc = JsonDocument.Parse("""{"generalProductInformation":{"batteryCategory":"ev","secretNote":"x"},"unknownSection":{"a":1}}""");
        foreach (var group in Enum.GetValues<AccessGroup>().Where(g => g != AccessGroup.Operator))
        {
            Assert.Equal("""{"generalProductInformation":{"batteryCategory":"ev"}}""", AccessFilter.Filter(doc.RootElement, group).ToJsonString());
        }
        Assert.Contains("secretNote", AccessFilter.Filter(doc.RootElement, AccessGroup.Operator).ToJsonString());
    }

    [Fact]
    public void The_catalogue_covers_every_property_of_every_sub_model_schema()
    {
        var missing = new List<string>();
        foreach (var (section, schemaId, _, _) in AttributeCatalog.AllSections)
        {
            Walk(SchemaCatalog.Get(schemaId).Root, SchemaCatalog.Get(schemaId).Root, section);
        }
        Assert.Empty(missing);

        void Walk(JsonElement root, JsonElement schema, string path)
        {
            schema = Resolve(root, schema);
            if (!schema.TryGetProperty("properties", out var properties))
            {
                foreach (var part in schema.TryGetProperty("allOf", out var all) ? all.EnumerateArray() : Enumerable.Empty<JsonElement>())
                {
                    Walk(root, part, path);
                }
                return;
            }
            foreach (var p in properties.EnumerateObject())
            {
                var child = $"{path}.{p.Name}";
                if (AttributeCatalog.Find(child) is not null)
                {
                    continue;
                }
                if (!AttributeCatalog.All.Any(a => a.Path.StartsWith(child + ".", StringComparison.Ordinal)))
                {
                    missing.Add(child);
                    continue;
                }
                Walk(root, p.Value, child);
            }
        }

        static JsonElement Resolve(JsonElement root, JsonElement schema)
        {
            while (schema.TryGetProperty("$ref", out var r))
            {
                schema = root;
                foreach (var part in r.GetString()!.TrimStart('#').Split('/', StringSplitOptions.RemoveEmptyEntries))
                {
                    schema = schema.GetProperty(part);
                }
            }
            return schema;
        }
    }

    [Fact]
    public void Status_and_history_are_for_those_who_see_individual_data()
    {
        Assert.True(AccessRules.CanSeeStatus(AccessGroup.Operator));
        Assert.True(AccessRules.CanSeeStatus(AccessGroup.LegitimateInterest));
        Assert.False(AccessRules.CanSeeStatus(AccessGroup.Public));
        Assert.False(AccessRules.CanSeeStatus(AccessGroup.Authorities));
        Assert.False(AccessRules.CanSeeStatus(AccessGroup.Commission));
    }
}
