using System.Globalization;
using System.Text.Json;
using Socle.Modules.Heat.Fluids;
using Socle.Modules.Heat.Hydraulics;
using Socle.Platform;

namespace Socle.Modules.Heat.Import;

/// <summary>
/// A network read from pandapipes' JSON format (pandapipes.to_json): every table is a pandas DataFrame serialised in
/// "split" orient (columns, index, data) inside a JSON string. Supported components: junction, pipe, ext_grid, sink,
/// source, and their geodata; any other non-empty table is reported as unsupported rather than silently dropped.
/// Extra columns (such as OpenModelica's <c>p_om</c>, <c>v_om</c>, <c>T_om</c>) are kept for comparison.
/// </summary>
public sealed class PandapipesNet
{
    public sealed record Junction(long Index, string Name, double Pn_bar, double Tfluid_k, double Height_m, bool InService, double? X, double? Y, IReadOnlyDictionary<string, JsonElement> Extra);

    public sealed record Pipe(long Index, string Name, long From, long To, double Length_km, double Diameter_m, double K_mm,
        double LossCoefficient, double Alpha_w_per_m2k, double Text_k, double Qext_w, int Sections, bool InService, IReadOnlyDictionary<string, JsonElement> Extra);

    public sealed record ExtGrid(long Index, long Junction, double P_bar, double T_k, string Type, bool InService);

    public sealed record MassFlow(long Index, long Junction, double Mdot_kg_per_s, double Scaling, bool InService);

    public required string Name { get; init; }

    public required IReadOnlyList<Junction> Junctions { get; init; }

    public required IReadOnlyList<Pipe> Pipes { get; init; }

    public required IReadOnlyList<ExtGrid> ExtGrids { get; init; }

    public required IReadOnlyList<MassFlow> Sinks { get; init; }

    public required IReadOnlyList<MassFlow> Sources { get; init; }

    /// <summary>The fluid the file declares, when its properties are constants; null otherwise.</summary>
    public ConstantFluid? Fluid { get; init; }

    private static readonly HashSet<string> Supported = new(StringComparer.Ordinal)
    {
        "junction", "junction_geodata", "pipe", "pipe_geodata", "ext_grid", "sink", "source", "std_types", "std_type", "controller",
    };

    /// <summary>Parses a pandapipes JSON document. Bad structure or values come back as an error naming the table, row and column.</summary>
    public static Result<PandapipesNet> Parse(string json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 256 });
        }
        catch (JsonException e)
        {
            return Error.Validation("file", $"is not JSON: {e.Message}");
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("_object", out var obj) || obj.ValueKind != JsonValueKind.Object)
            {
                return Error.Validation("file", "is not a pandapipes network (expected {\"_module\": ..., \"_class\": \"pandapipesNet\", \"_object\": {...}})");
            }
            var checks = new Checks();
            var tables = new Dictionary<string, Table>(StringComparer.Ordinal);
            foreach (var property in obj.EnumerateObject())
            {
                if (property.Value.ValueKind == JsonValueKind.Object && property.Value.TryGetProperty("_class", out var cls) && cls.GetString() == "DataFrame")
                {
                    var table = Table.Read(property.Name, property.Value, checks);
                    if (table is not null)
                    {
                        tables[property.Name] = table;
                    }
                }
            }
            if (checks.Failed)
            {
                return checks.ToError();
            }
            foreach (var (name, table) in tables)
            {
                if (table.Rows.Count > 0 && !Supported.Contains(name) && !name.StartsWith("res_", StringComparison.Ordinal))
                {
                    checks.Add(name, $"component '{name}' ({table.Rows.Count} row(s)) is not supported by the import; supported: junction, pipe, ext_grid, sink, source");
                }
            }
            if (!tables.TryGetValue("junction", out var junctionTable) || junctionTable.Rows.Count == 0)
            {
                checks.Add("junction", "the network has no junction");
            }
            if (checks.Failed)
            {
                return checks.ToError();
            }

            var geodata = new Dictionary<long, (double X, double Y)>();
            if (tables.TryGetValue("junction_geodata", out var geo))
            {
                foreach (var row in geo.Rows)
                {
                    var x = row.Number("x", checks);
                    var y = row.Number("y", checks);
                    geodata[row.Index] = (x, y);
                }
            }
            var junctions = junctionTable!.Rows.Select(r => new Junction(
                r.Index, r.Text("name") ?? $"junction {r.Index}", r.Number("pn_bar", checks, 1), r.Number("tfluid_k", checks, 293.15),
                r.Number("height_m", checks, 0), r.Bool("in_service", true),
                geodata.TryGetValue(r.Index, out var g) ? g.X : null, geodata.TryGetValue(r.Index, out var g2) ? g2.Y : null,
                r.Extras(["name", "pn_bar", "tfluid_k", "height_m", "in_service", "type"]))).ToList();
            var pipes = (tables.GetValueOrDefault("pipe")?.Rows ?? []).Select(r => new Pipe(
                r.Index, r.Text("name") ?? $"pipe {r.Index}", r.Integer("from_junction", checks), r.Integer("to_junction", checks),
                r.Number("length_km", checks), r.Number("diameter_m", checks), r.Number("k_mm", checks, 0.2),
                r.Number("loss_coefficient", checks, 0),
                r.Has("u_w_per_m2k") ? r.Number("u_w_per_m2k", checks, 0) : r.Number("alpha_w_per_m2k", checks, 0),
                r.Number("text_k", checks, 293.15), r.Number("qext_w", checks, 0), (int)r.Integer("sections", checks, 1),
                r.Bool("in_service", true),
                r.Extras(["name", "from_junction", "to_junction", "std_type", "length_km", "diameter_m", "k_mm", "loss_coefficient",
                    "alpha_w_per_m2k", "u_w_per_m2k", "text_k", "qext_w", "sections", "in_service", "type"]))).ToList();
            var extGrids = (tables.GetValueOrDefault("ext_grid")?.Rows ?? []).Select(r => new ExtGrid(
                r.Index, r.Integer("junction", checks), r.Number("p_bar", checks), r.Number("t_k", checks, 293.15),
                r.Text("type") ?? "pt", r.Bool("in_service", true))).ToList();
            var sinks = ReadMassFlows(tables.GetValueOrDefault("sink"), checks);
            var sources = ReadMassFlows(tables.GetValueOrDefault("source"), checks);
            if (checks.Failed)
            {
                return checks.ToError();
            }
            return new PandapipesNet
            {
                Name = obj.TryGetProperty("name", out var nameElement) && nameElement.ValueKind == JsonValueKind.String ? nameElement.GetString()! : "net",
                Junctions = junctions,
                Pipes = pipes,
                ExtGrids = extGrids,
                Sinks = sinks,
                Sources = sources,
                Fluid = ReadFluid(obj),
            };
        }
    }

    private static List<MassFlow> ReadMassFlows(Table? table, Checks checks) =>
        (table?.Rows ?? []).Select(r => new MassFlow(r.Index, r.Integer("junction", checks), r.Number("mdot_kg_per_s", checks),
            r.Number("scaling", checks, 1), r.Bool("in_service", true))).ToList();

    /// <summary>The fluid, when every property is a FluidPropertyConstant (the OpenModelica test networks' case).</summary>
    private static ConstantFluid? ReadFluid(JsonElement obj)
    {
        if (!obj.TryGetProperty("fluid", out var fluid) || !fluid.TryGetProperty("_object", out var inner) || inner.ValueKind != JsonValueKind.String)
        {
            return null;
        }
        try
        {
            using var doc = JsonDocument.Parse(inner.GetString()!);
            var name = doc.RootElement.TryGetProperty("name", out var n) ? n.GetString() ?? "fluid" : "fluid";
            if (!doc.RootElement.TryGetProperty("all_properties", out var props))
            {
                return null;
            }
            double? Constant(string key)
            {
                if (!props.TryGetProperty(key, out var p) || p.GetProperty("_class").GetString() != "FluidPropertyConstant")
                {
                    return null;
                }
                using var value = JsonDocument.Parse(p.GetProperty("_object").GetString()!);
                return value.RootElement.GetProperty("value").GetDouble();
            }
            var density = Constant("density");
            var cp = Constant("heat_capacity");
            var mu = Constant("viscosity");
            return density is null || cp is null || mu is null ? null : new ConstantFluid(name, density.Value, cp.Value, mu.Value);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>
    /// The steady-state problem of this network: junctions become nodes, pipes pipes (U′ = α·π·D), ext grids fixed
    /// pressures (p in bar → Pa) and supply temperatures, sinks and sources withdrawals (ṁ × scaling). Elements out of
    /// service are left out. Sources inject at <paramref name="sourceTemperature_k"/>, or when it is null at the ambient
    /// temperature of the pipes around their junction — what OpenModelica's mass-flow sources do in the reference networks
    /// (their fluid enters at the system's ambient temperature).
    /// </summary>
    public Result<(SteadyStateProblem Problem, Dictionary<long, int> NodeOf, Dictionary<long, int> PipeOf)> ToProblem(
        IFluid fluid, FrictionModel friction = FrictionModel.Colebrook, PipeTemperatureLaw law = PipeTemperatureLaw.Exponential,
        double? sourceTemperature_k = null)
    {
        var builder = new FlowNetworkBuilder();
        var nodeOf = new Dictionary<long, int>();
        foreach (var j in Junctions.Where(j => j.InService))
        {
            nodeOf[j.Index] = builder.AddNode(JunctionId(j), j.Height_m);
        }
        var pipeOf = new Dictionary<long, int>();
        var checks = new Checks();
        foreach (var p in Pipes.Where(p => p.InService))
        {
            var from = Junctions.FirstOrDefault(j => j.Index == p.From);
            var to = Junctions.FirstOrDefault(j => j.Index == p.To);
            if (from is null || to is null)
            {
                checks.Add($"pipe[{p.Index}]", $"joins junction {(from is null ? p.From : p.To)}, which does not exist");
                continue;
            }
            pipeOf[p.Index] = builder.AddPipe(PipeId(p), JunctionId(from), JunctionId(to), p.Length_km * 1000.0, p.Diameter_m, p.K_mm / 1000.0,
                p.Alpha_w_per_m2k * Math.PI * p.Diameter_m, p.Text_k, p.Sections, p.LossCoefficient);
        }
        if (checks.Failed)
        {
            return checks.ToError();
        }
        var built = builder.Build();
        if (!built.IsSuccess)
        {
            return built.Error;
        }
        var network = built.Value;
        var withdrawal = new double[network.NodeCount];
        var injection = new double[network.NodeCount];
        Array.Fill(injection, double.NaN);
        foreach (var s in Sinks.Where(s => s.InService))
        {
            if (!nodeOf.TryGetValue(s.Junction, out var node))
            {
                return Error.Validation($"sink[{s.Index}].junction", $"names junction {s.Junction}, which does not exist or is out of service");
            }
            withdrawal[node] += s.Mdot_kg_per_s * s.Scaling;
        }
        foreach (var s in Sources.Where(s => s.InService))
        {
            if (!nodeOf.TryGetValue(s.Junction, out var node))
            {
                return Error.Validation($"source[{s.Index}].junction", $"names junction {s.Junction}, which does not exist or is out of service");
            }
            withdrawal[node] -= s.Mdot_kg_per_s * s.Scaling;
            injection[node] = sourceTemperature_k ?? AmbientAround(network, node);
        }
        var fixedPressures = new List<FixedPressure>();
        foreach (var e in ExtGrids.Where(e => e.InService))
        {
            if (!nodeOf.TryGetValue(e.Junction, out var node))
            {
                return Error.Validation($"ext_grid[{e.Index}].junction", $"names junction {e.Junction}, which does not exist or is out of service");
            }
            fixedPressures.Add(new FixedPressure(node, e.P_bar * 1e5, e.T_k));
        }
        if (fixedPressures.Count == 0)
        {
            return Error.Validation("ext_grid", "the network has no external grid: one junction must hold the pressure");
        }
        var problem = new SteadyStateProblem
        {
            Network = network,
            FixedPressures = fixedPressures,
            Withdrawal_kg_per_s = withdrawal,
            InjectionTemperature_k = injection,
            Fluid = fluid,
            Friction = friction,
            TemperatureLaw = law,
        };
        return (problem, nodeOf, pipeOf);
    }

    private static double AmbientAround(FlowNetwork network, int node)
    {
        var around = Enumerable.Range(0, network.PipeCount).Where(b => network.From[b] == node || network.To[b] == node).ToList();
        return around.Count == 0 ? 293.15 : around.Average(b => network.Ambient_k[b]);
    }

    public static string JunctionId(Junction j) => string.IsNullOrWhiteSpace(j.Name) || j.Name == $"junction {j.Index}" ? $"J{j.Index}" : j.Name;

    public static string PipeId(Pipe p) => string.IsNullOrWhiteSpace(p.Name) || p.Name == $"pipe {p.Index}" ? $"P{p.Index}" : p.Name;

    /// <summary>One DataFrame in split orient.</summary>
    private sealed class Table
    {
        public required string Name { get; init; }

        public required List<Row> Rows { get; init; }

        public static Table? Read(string name, JsonElement frame, Checks checks)
        {
            if (!frame.TryGetProperty("_object", out var inner) || inner.ValueKind != JsonValueKind.String)
            {
                checks.Add(name, "is not a DataFrame in split orient");
                return null;
            }
            try
            {
                using var doc = JsonDocument.Parse(inner.GetString()!);
                var root = doc.RootElement;
                var columns = root.GetProperty("columns").EnumerateArray().Select(c => c.ToString()).ToArray();
                var index = root.GetProperty("index").EnumerateArray().Select(i => i.ValueKind == JsonValueKind.Number ? i.GetInt64() : 0L).ToArray();
                var rows = new List<Row>();
                var r = 0;
                foreach (var data in root.GetProperty("data").EnumerateArray())
                {
                    var cells = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
                    var c = 0;
                    foreach (var cell in data.EnumerateArray())
                    {
                        if (c < columns.Length)
                        {
                            cells[columns[c]] = cell.Clone();
                        }
                        c++;
                    }
                    rows.Add(new Row(name, r < index.Length ? index[r] : r, cells));
                    r++;
                }
                return new Table { Name = name, Rows = rows };
            }
            catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
            {
                checks.Add(name, $"is not a DataFrame in split orient ({e.Message})");
                return null;
            }
        }
    }

    private sealed record Row(string Table, long Index, Dictionary<string, JsonElement> Cells)
    {
        public bool Has(string column) => Cells.TryGetValue(column, out var v) && v.ValueKind != JsonValueKind.Null;

        public double Number(string column, Checks checks, double? fallback = null)
        {
            if (!Cells.TryGetValue(column, out var v) || v.ValueKind == JsonValueKind.Null)
            {
                if (fallback is { } f)
                {
                    return f;
                }
                checks.Add($"{Table}[{Index}].{column}", "is missing");
                return double.NaN;
            }
            if (v.ValueKind == JsonValueKind.Number)
            {
                return v.GetDouble();
            }
            if (v.ValueKind == JsonValueKind.String && double.TryParse(v.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d))
            {
                return d;
            }
            checks.Add($"{Table}[{Index}].{column}", $"must be a number, not {v}");
            return double.NaN;
        }

        public long Integer(string column, Checks checks, long? fallback = null)
        {
            var d = Number(column, checks, fallback);
            if (double.IsNaN(d))
            {
                return -1;
            }
            if (d != Math.Floor(d))
            {
                checks.Add($"{Table}[{Index}].{column}", "must be a whole number");
            }
            return (long)d;
        }

        public string? Text(string column) =>
            Cells.TryGetValue(column, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

        public bool Bool(string column, bool fallback) =>
            Cells.TryGetValue(column, out var v) ? v.ValueKind switch { JsonValueKind.True => true, JsonValueKind.False => false, _ => fallback } : fallback;

        public IReadOnlyDictionary<string, JsonElement> Extras(string[] known) =>
            Cells.Where(c => !known.Contains(c.Key)).ToDictionary(c => c.Key, c => c.Value, StringComparer.Ordinal);
    }
}
