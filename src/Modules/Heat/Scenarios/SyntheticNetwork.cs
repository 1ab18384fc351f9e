namespace Socle.Modules.Heat.Scenarios;

/// <summary>
/// Generates a meshed network of a given number of substations for benchmarks and stress tests: a square street grid
/// (every street a pipe, so every block is a loop), the plant at one corner, each substation on a service pipe to a
/// street junction. Street pipes are sized for the peak flow they would carry on the shortest-path tree from the plant
/// (velocity about 1.5 m/s), services for their building. Deterministic for a seed.
/// </summary>
public static class SyntheticNetwork
{
    public static Scenario Generate(int substations, int seed = 42, string climate = "rouen")
    {
        var random = new Random(seed);
        var side = Math.Max(2, (int)Math.Ceiling(Math.Sqrt(substations / 4.0)));
        const double block = 100;
        var nodes = new List<NetworkNode> { new() { Id = "plant", X_m = -60, Y_m = -60 } };
        for (var i = 0; i < side; i++)
        {
            for (var j = 0; j < side; j++)
            {
                nodes.Add(new NetworkNode { Id = $"j{i}-{j}", X_m = i * block, Y_m = j * block, Height_m = 0 });
            }
        }
        var subs = new List<Substation>();
        var attach = new List<(int I, int J)>();
        var peak = new double[side, side];
        for (var k = 0; k < substations; k++)
        {
            var i = random.Next(side);
            var j = random.Next(side);
            var heating = 60 + random.NextDouble() * 400;
            var type = random.NextDouble() switch { < 0.7 => SubscriberType.Housing, < 0.85 => SubscriberType.Tertiary, < 0.95 => SubscriberType.Public, _ => SubscriberType.Industry };
            var subscribed = Math.Round(heating * 1000 / 1800 / 10) * 10;
            nodes.Add(new NetworkNode { Id = $"s{k}", X_m = i * block + 10 + random.NextDouble() * 30, Y_m = j * block + 10 + random.NextDouble() * 30 });
            subs.Add(new Substation
            {
                Id = $"s{k}",
                Name = $"Building {k}",
                Node = $"s{k}",
                Subscriber = type,
                Subscribed_kw = subscribed,
                Heating_mwh = Math.Round(heating, 1),
                HotWater_mwh = type == SubscriberType.Housing ? Math.Round(heating * 0.18, 1) : Math.Round(heating * 0.04, 1),
                Dwellings = type == SubscriberType.Housing ? Math.Round(heating / 8) : 0,
            });
            attach.Add((i, j));
            peak[i, j] += subscribed;
        }
        // peak carried by each street on the shortest-path tree from the corner (0, 0): flows run up then right
        var carried = new double[side, side];
        for (var i = side - 1; i >= 0; i--)
        {
            for (var j = side - 1; j >= 0; j--)
            {
                carried[i, j] += peak[i, j];
                if (j > 0)
                {
                    carried[i, j - 1] += carried[i, j];
                }
                else if (i > 0)
                {
                    carried[i - 1, 0] += carried[i, 0];
                }
            }
        }
        var pipes = new List<NetworkPipe>
        {
            new() { Id = "main", From = "plant", To = "j0-0", Dn = Dn(carried[0, 0]) },
        };
        for (var i = 0; i < side; i++)
        {
            for (var j = 0; j < side; j++)
            {
                if (i + 1 < side)
                {
                    pipes.Add(new NetworkPipe { Id = $"x{i}-{j}", From = $"j{i}-{j}", To = $"j{i + 1}-{j}", Dn = Dn(j == 0 ? carried[i + 1, 0] : 0.5 * carried[i + 1, j]), Length_m = block });
                }
                if (j + 1 < side)
                {
                    pipes.Add(new NetworkPipe { Id = $"y{i}-{j}", From = $"j{i}-{j}", To = $"j{i}-{j + 1}", Dn = Dn(carried[i, j + 1]), Length_m = block });
                }
            }
        }
        for (var k = 0; k < substations; k++)
        {
            pipes.Add(new NetworkPipe { Id = $"service-{k}", From = $"j{attach[k].I}-{attach[k].J}", To = $"s{k}", Dn = Dn(subs[k].Subscribed_kw, 1.0), Length_m = 15 + random.NextDouble() * 25 });
        }
        var total = subs.Sum(x => x.Subscribed_kw);
        return new Scenario
        {
            Id = $"synthetic-{substations}",
            Name = $"Synthetic meshed network, {substations} substations",
            Description = "Generated street grid for benchmarks (SyntheticNetwork).",
            Climate = new ClimateRef { Source = climate },
            Network = new NetworkLayout { Nodes = nodes, Pipes = pipes, PlantNode = "plant", PlantPressure_bar = 8 },
            Substations = subs,
            Production =
            [
                new ProductionUnit { Id = "biomass", Name = "Biomass boilers", Type = UnitType.BiomassBoiler, Capacity_kw = Math.Round(total * 0.35), MinLoad = 0.25 },
                new ProductionUnit { Id = "heat-pump", Name = "Sewage heat pump", Type = UnitType.HeatPump, Capacity_kw = Math.Round(total * 0.08), Source = HeatPumpSource.Water, SourceTemperature_c = 14 },
                new ProductionUnit { Id = "gas", Name = "Gas boilers", Type = UnitType.GasBoiler, Capacity_kw = Math.Round(total * 0.8) },
            ],
            Storage = [new StorageUnit { Id = "tank", Name = "Storage tank", Capacity_kwh = Math.Round(total * 2), Power_kw = Math.Round(total * 0.1) }],
        };
    }

    /// <summary>The catalogue DN carrying a peak of <paramref name="peak_kw"/> at ΔT = 30 K and about 1.2 m/s, 70 % simultaneity on streets.</summary>
    private static int Dn(double peak_kw, double simultaneity = 0.7)
    {
        var flow = peak_kw * simultaneity / (4.19 * 30);
        var inner = Math.Sqrt(4 * flow / (970 * 1.2 * Math.PI));
        return Network.PipeCatalogue.Fit(Math.Max(inner, 0.02)).Dn;
    }
}
