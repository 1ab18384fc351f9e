using System.Reflection;
using Xunit;
using Xunit.Sdk;
using Xunit.v3;

namespace Socle.Testing;

/// <summary>
/// Runs a theory once per storage provider: <c>[Theory, StorageProviders] public async Task X(string provider)</c>.
/// The PostgreSQL case is skipped only outside ./test.sh, when no cluster is configured.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class StorageProvidersAttribute : DataAttribute
{
    public override ValueTask<IReadOnlyCollection<ITheoryDataRow>> GetData(MethodInfo testMethod, DisposalTracker disposalTracker)
    {
        IReadOnlyCollection<ITheoryDataRow> rows =
        [
            new TheoryDataRow<string>(TestDatabase.Sqlite),
            new TheoryDataRow<string>(TestDatabase.Postgres) { Skip = TestDatabase.PostgresSkipReason },
        ];
        return new(rows);
    }

    public override bool SupportsDiscoveryEnumeration() => true;
}
