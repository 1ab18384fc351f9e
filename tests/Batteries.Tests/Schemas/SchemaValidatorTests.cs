using System.Text.Json;
using Socle.Modules.Batteries.Schemas;
using Socle.Testing;

namespace Socle.Batteries.Tests.Schemas;

/// <summary>
/// Our draft-04 validator against an independent one: data/batteries/reference/jsonschema-results.json holds what Python
/// jsonschema 4.26 reports for every published sample and 26 hand-written mutations (make_validation_reference.py).
/// </summary>
public class SchemaValidatorTests
{
    public static TheoryData<string, string> ReferenceCases()
    {
        var data = new TheoryData<string, string>();
        using var doc = JsonDocument.Parse(File.ReadAllText(TestData.Path("batteries", "reference", "jsonschema-results.json")));
        foreach (var r in doc.RootElement.GetProperty("results").EnumerateArray())
        {
            data.Add(r.GetProperty("schema").GetString()!, r.GetProperty("instance").GetString()!);
        }
        return data;
    }

    private static string SchemaId(string file) => SchemaCatalog.All.Single(s => s.File == file).Id;

    private static JsonDocument Instance(string relative) =>
        JsonDocument.Parse(JsonSchema.DecodeText(File.ReadAllBytes(TestData.Path(["batteries", .. relative.Split('/')]))));

    [Theory, MemberData(nameof(ReferenceCases))]
    public void Errors_match_python_jsonschema_path_for_path(string schemaFile, string instanceFile)
    {
        using var reference = JsonDocument.Parse(File.ReadAllText(TestData.Path("batteries", "reference", "jsonschema-results.json")));
        var expected = reference.RootElement.GetProperty("results").EnumerateArray()
            .Single(r => r.GetProperty("schema").GetString() == schemaFile && r.GetProperty("instance").GetString() == instanceFile)
            .GetProperty("errors").EnumerateArray()
            .Select(e => (e.GetProperty("path").GetString()!, e.GetProperty("keyword").GetString()!))
            .ToHashSet();

        using var instance = Instance(instanceFile);
        var actual = SchemaCatalog.Published(SchemaId(schemaFile)).Validate(instance.RootElement)
            .Select(e => (e.Path, e.Keyword)).ToHashSet();

        Assert.Equal(expected.OrderBy(e => e).ToList(), actual.OrderBy(e => e).ToList());
    }

    [Fact]
    public void The_material_composition_sample_is_rejected_for_the_trailing_space_in_its_CAS_number()
    {
        using var instance = Instance("schemas/batterypass-1.2/MaterialComposition-payload.json");
        var error = Assert.Single(SchemaCatalog.Get(SchemaCatalog.MaterialComposition).Validate(instance.RootElement));
        Assert.Equal("$.batteryMaterials[0].batteryMaterialIdentifier", error.Path);
        Assert.Equal("pattern", error.Keyword);
        Assert.Equal(@"'7439-93-2 ' does not match the pattern ^\d{2,7}-\d{2}-\d{1}$", error.Message);
    }

    [Fact]
    public void Utf16_files_with_a_bom_and_utf8_files_decode_to_the_same_text()
    {
        var utf16 = File.ReadAllBytes(TestData.Path("batteries", "schemas", "batterypass-1.2", "Labeling-payload.json"));
        Assert.Equal(0xFF, utf16[0]);
        Assert.Equal(0xFE, utf16[1]);
        var text = JsonSchema.DecodeText(utf16);
        Assert.StartsWith("{", text);
        var again = JsonSchema.DecodeText([0xEF, 0xBB, 0xBF, .. System.Text.Encoding.UTF8.GetBytes(text)]);
        Assert.Equal(text, again);
        var bigEndian = JsonSchema.DecodeText([0xFE, 0xFF, .. System.Text.Encoding.BigEndianUnicode.GetBytes(text)]);
        Assert.Equal(text, bigEndian);
    }

    [Fact]
    public void Every_published_schema_compiles_including_components_schemas_references()
    {
        foreach (var info in SchemaCatalog.All.Where(s => s.File.Length > 0))
        {
            var schema = SchemaCatalog.Published(info.Id);
            Assert.Equal("http://json-schema.org/draft-04/schema", schema.Root.GetProperty("$schema").GetString());
            Assert.True(schema.Root.GetProperty("components").GetProperty("schemas").EnumerateObject().Any());
        }
    }

    [Fact]
    public void The_email_erratum_accepts_real_addresses_that_the_published_pattern_rejects()
    {
        using var instance = Instance("reference/cases/gpi-real-email.json");
        Assert.Single(SchemaCatalog.Published(SchemaCatalog.GeneralProductInformation).Validate(instance.RootElement));
        Assert.Empty(SchemaCatalog.Get(SchemaCatalog.GeneralProductInformation).Validate(instance.RootElement));
        // the correction only widens: the published sample (whose address relies on the bug) stays valid
        using var sample = Instance("schemas/batterypass-1.2/GeneralProductInformation-payload.json");
        Assert.Empty(SchemaCatalog.Get(SchemaCatalog.GeneralProductInformation).Validate(sample.RootElement));
    }

    private static IReadOnlyList<SchemaError> Check(string schema, string instance, SchemaValidationOptions? options = null)
    {
        using var doc = JsonDocument.Parse(instance);
        return JsonSchema.Parse("test", schema).Validate(doc.RootElement, options);
    }

    [Theory]
    [InlineData("""{"type":"integer"}""", "3", true)]
    [InlineData("""{"type":"integer"}""", "3.0", true)]
    [InlineData("""{"type":"integer"}""", "3.5", false)]
    [InlineData("""{"type":"integer"}""", "179769313486231570000000000000000000000000000000000000000000000000000000000000000", true)]
    [InlineData("""{"type":["string","null"]}""", "null", true)]
    [InlineData("""{"type":["string","null"]}""", "1", false)]
    [InlineData("""{"minimum":0,"exclusiveMinimum":true}""", "0", false)]
    [InlineData("""{"minimum":0,"exclusiveMinimum":true}""", "0.0001", true)]
    [InlineData("""{"maximum":100}""", "100", true)]
    [InlineData("""{"maximum":100,"exclusiveMaximum":true}""", "100", false)]
    [InlineData("""{"maximum":9223372036854775807}""", "9223372036854775808", false)]
    [InlineData("""{"minimum":-1.7976931348623157E308}""", "-1.7976931348623157E308", true)]
    [InlineData("""{"multipleOf":0.01}""", "12.34", true)]
    [InlineData("""{"multipleOf":0.01}""", "12.345", false)]
    [InlineData("""{"maxLength":2}""", "\"\ud83d\udd0b\ud83d\udd0b\"", true)]
    [InlineData("""{"maxLength":2}""", "\"abc\"", false)]
    [InlineData("""{"pattern":"\\d"}""", "\"x\u0663x\"", false)]
    [InlineData("""{"pattern":"b"}""", "\"abc\"", true)]
    [InlineData("""{"pattern":"^b"}""", "\"abc\"", false)]
    [InlineData("""{"enum":[1,"a",{"k":[1,2]}]}""", """{"k":[1.0,2]}""", true)]
    [InlineData("""{"enum":[1,"a"]}""", "\"b\"", false)]
    [InlineData("""{"uniqueItems":true}""", """[{"a":1,"b":2},{"b":2,"a":1}]""", false)]
    [InlineData("""{"uniqueItems":true}""", """[1,"1"]""", true)]
    [InlineData("""{"items":[{"type":"string"},{"type":"number"}],"additionalItems":false}""", """["a",1]""", true)]
    [InlineData("""{"items":[{"type":"string"},{"type":"number"}],"additionalItems":false}""", """["a",1,2]""", false)]
    [InlineData("""{"properties":{"a":{}},"additionalProperties":false}""", """{"a":1,"b":2}""", false)]
    [InlineData("""{"patternProperties":{"^x-":{"type":"string"}}}""", """{"x-a":1}""", false)]
    [InlineData("""{"dependencies":{"a":["b"]}}""", """{"a":1}""", false)]
    [InlineData("""{"anyOf":[{"type":"string"},{"minimum":5}]}""", "3", false)]
    [InlineData("""{"oneOf":[{"type":"number"},{"minimum":5}]}""", "7", false)]
    [InlineData("""{"oneOf":[{"type":"number"},{"minimum":5}]}""", "\"s\"", true)]
    [InlineData("""{"not":{"type":"string"}}""", "\"s\"", false)]
    [InlineData("""{"format":"date-time"}""", "\"2025-06-17T11:14:27.698+02:00\"", true)]
    [InlineData("""{"format":"date-time"}""", "\"2025-02-30T11:14:27Z\"", false)]
    [InlineData("""{"format":"date-time"}""", "\"2025-06-17 11:14:27Z\"", false)]
    [InlineData("""{"format":"uri"}""", "\"telnet://192.0.2.16:80/\"", true)]
    [InlineData("""{"format":"uri"}""", "\"urn:socle:0123abcd\"", true)]
    [InlineData("""{"format":"uri"}""", "\"www.example.com/page\"", false)]
    [InlineData("""{"format":"uri"}""", "\"https://example.com/a b\"", false)]
    [InlineData("""{"format":"uri"}""", "\"https://example.com/%zz\"", false)]
    [InlineData("""{"definitions":{"n":{"type":"number"}},"properties":{"a":{"$ref":"#/definitions/n"}}}""", """{"a":"x"}""", false)]
    [InlineData("""{"properties":{"next":{"$ref":"#"}},"required":["v"]}""", """{"v":1,"next":{"v":2,"next":{}}}""", false)]
    public void Keywords_behave_as_draft_04_says(string schema, string instance, bool valid)
    {
        Assert.Equal(valid, Check(schema, instance).Count == 0);
    }

    [Fact]
    public void Errors_name_the_json_path_and_the_reason()
    {
        var errors = Check("""{"properties":{"list":{"items":{"required":["a"],"properties":{"a":{"type":"number"}}}}}}""",
            """{"list":[{"a":1},{"a":"x"},{}]}""");
        Assert.Equal(
            ["$.list[1].a: 'x' is not of type 'number'", "$.list[2]: 'a' is required"],
            errors.Select(e => e.ToString()).ToArray());
    }

    [Fact]
    public void Ignoring_required_checks_what_a_partial_document_holds()
    {
        var schema = """{"required":["a","b"],"properties":{"a":{"type":"number"}}}""";
        Assert.Equal(2, Check(schema, "{}").Count);
        Assert.Empty(Check(schema, "{}", new SchemaValidationOptions { IgnoreRequired = true }));
        Assert.Single(Check(schema, """{"a":"x"}""", new SchemaValidationOptions { IgnoreRequired = true }));
    }

    [Fact]
    public void Remote_references_and_unsupported_keywords_are_refused_when_the_schema_loads()
    {
        Assert.Throws<NotSupportedException>(() => JsonSchema.Parse("t", """{"$ref":"https://example.com/s.json"}""").Validate(default));
        Assert.Throws<NotSupportedException>(() => JsonSchema.Parse("t", """{"if":{"type":"string"}}"""));
        Assert.Throws<InvalidOperationException>(() => JsonSchema.Parse("t", """{"$ref":"#/components/schemas/Nothing"}"""));
    }
}
