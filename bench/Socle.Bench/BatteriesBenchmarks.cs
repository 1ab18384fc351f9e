using System.Security.Cryptography;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Socle.Modules.Batteries.Access;
using Socle.Modules.Batteries.Demo;
using Socle.Modules.Batteries.Passports;
using Socle.Modules.Batteries.Schemas;
using Socle.Modules.Batteries.Signing;

namespace Socle.Bench;

/// <summary>
/// The per-passport work of the registry's hot paths, on the complete NMC811 sample passport (about 9 KB):
/// what a bulk import does for each item (validate every section, write the version document, hash and sign it) and what
/// a resolver read does on a cache miss (parse the stored version, filter it for the reader's group, write the view).
/// </summary>
[MemoryDiagnoser]
public class BatteriesBenchmarks
{
    private JsonElement _content;
    private byte[] _document = [];
    private ECDsa _key = null!;
    private string _signature = "";

    [GlobalSetup]
    public void Setup()
    {
        var content = SamplePassports.Load(SamplePassports.EvNmc811);
        content["generalProductInformation"]!["batteryPassportIdentifier"] = "urn:socle:0123456789abcdef0123456789abcdef";
        content["generalProductInformation"]!["batteryStatus"] = "Original";
        _content = PassportContent.ToElement(content);
        _document = Version().ToUtf8();
        _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        _signature = Jws.SignDetached(_key, "kid", _document);
        // compile the schemas outside the measurement
        _ = PassportContent.SchemaProblems(_content);
    }

    private PassportVersion Version() => new("urn:socle:0123456789abcdef0123456789abcdef", 1, null, DateTimeOffset.UnixEpoch, "created", BatteryStatus.Original,
        PassportLifecycle.Active, "op-1", "op-1", "(01)03770031220018(21)NMC75-000001", "ev", null, null, "00112233445566778899aabbccddeeff", _content);

    [Benchmark(Description = "Validate the 8 sections against their schemas")]
    public int ValidateSections() => PassportContent.SchemaProblems(_content).Count;

    [Benchmark(Description = "Plausibility checks")]
    public int Plausibility() => PassportContent.Implausible(_content, DateTimeOffset.UnixEpoch.AddYears(60)).Count;

    [Benchmark(Description = "Version document: write, SHA-256, ES256 sign")]
    public string WriteHashSign()
    {
        var bytes = Version().ToUtf8();
        _ = PassportVersion.Hash(bytes);
        return Jws.SignDetached(_key, "kid", bytes);
    }

    [Benchmark(Description = "ES256 verify")]
    public bool VerifySignature() => Jws.Verify(_key, _signature, _document);

    [Benchmark(Description = "Resolver miss: parse stored version, filter for the public")]
    public int FilterPublic()
    {
        using var doc = JsonDocument.Parse(_document);
        return AccessFilter.FilterToUtf8(doc.RootElement.GetProperty("content"), AccessGroup.Public).Length;
    }

    [Benchmark(Description = "Resolver miss: parse stored version, filter for a legitimate interest")]
    public int FilterLegitimateInterest()
    {
        using var doc = JsonDocument.Parse(_document);
        return AccessFilter.FilterToUtf8(doc.RootElement.GetProperty("content"), AccessGroup.LegitimateInterest).Length;
    }
}

/// <summary>The JSON Schema validator alone, on the largest published schema and sample (Catena-X battery_pass 6.1.0).</summary>
[MemoryDiagnoser]
public class SchemaValidatorBenchmarks
{
    private JsonDocument _sample = null!;

    [GlobalSetup]
    public void Setup()
    {
        var root = FindRoot();
        _sample = JsonDocument.Parse(File.ReadAllText(Path.Combine(root, "data", "batteries", "schemas", "catenax-battery_pass-6.1.0", "BatteryPass.json")));
        _ = SchemaCatalog.Published(SchemaCatalog.CatenaX);
    }

    [Benchmark(Description = "Catena-X 6.1.0 sample (14.6 KB) against its schema (192 KB)")]
    public int ValidateCatenaX() => SchemaCatalog.Published(SchemaCatalog.CatenaX).Validate(_sample.RootElement).Count;

    [Benchmark(Description = "Compile the Catena-X schema")]
    public string CompileCatenaX() => JsonSchema.Load("cx", SchemaCatalog.FileBytes("catenax-battery_pass-6.1.0/BatteryPass-schema.json")).Id;

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Socle.slnx")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? Directory.GetCurrentDirectory();
    }
}
