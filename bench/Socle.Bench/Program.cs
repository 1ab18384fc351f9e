// Socle benchmarks. Run from the repository root:
//   dotnet run -c Release --project bench/Socle.Bench -- --filter '*Journal*'
// Results (markdown, CSV) land in bench/results/<date>/. Load runs (HTTP, PostgreSQL) are under bench/load/.
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Exporters.Csv;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

var root = FindRoot();
var config = ManualConfig.CreateMinimumViable()
    .AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance))
    .AddDiagnoser(MemoryDiagnoser.Default)
    .AddExporter(MarkdownExporter.GitHub, CsvExporter.Default)
    .WithArtifactsPath(Path.Combine(root, "bench", "results", DateTime.UtcNow.ToString("yyyy-MM-dd")))
    .WithOptions(ConfigOptions.JoinSummary);
BenchmarkSwitcher.FromAssembly(typeof(Socle.Bench.JournalBenchmarks).Assembly).Run(args, config);

static string FindRoot()
{
    var dir = new DirectoryInfo(AppContext.BaseDirectory);
    while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Socle.slnx")))
    {
        dir = dir.Parent;
    }
    return dir?.FullName ?? Directory.GetCurrentDirectory();
}
