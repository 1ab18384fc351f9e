using Dapper;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Socle.Platform.Storage;

namespace Socle.Platform.Hosting;

/// <summary>/health: the database answers a query and the platform's tables are there.</summary>
internal sealed class DatabaseHealthCheck(Database db, ILogger<DatabaseHealthCheck> logger) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var c = await db.OpenAsync(cancellationToken);
            var migrations = await c.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM socle_migrations", cancellationToken: cancellationToken));
            return HealthCheckResult.Healthy(db.Describe(), new Dictionary<string, object>
            {
                ["provider"] = db.Provider.ToString().ToLowerInvariant(),
                ["migrations"] = migrations,
            });
        }
        catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException or TimeoutException)
        {
            Log.HealthFailed(logger, e, db.Describe());
            return HealthCheckResult.Unhealthy(db.Describe());
        }
    }
}
