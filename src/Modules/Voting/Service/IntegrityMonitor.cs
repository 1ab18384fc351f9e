using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Socle.Modules.Voting.Service;

/// <summary>
/// Watches every open election this process serves: its board is re-verified in full every
/// <c>Socle:Voting:IntegrityCheckSeconds</c> and compared with the émargement list and the receipts; a difference is an
/// alert on the bureau's page, in the election's journal and in the log.
/// </summary>
internal sealed class IntegrityMonitor(ElectionService elections, IOptions<VotingOptions> options, TimeProvider time) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var seconds = options.Value.IntegrityCheckSeconds;
        if (seconds <= 0)
        {
            return;
        }
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(seconds), time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                foreach (var id in await elections.OpenElectionsAsync(stoppingToken))
                {
                    await elections.CheckIntegrityAsync(id, stoppingToken);
                }
            }
            catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException or IOException)
            {
                // The database is unavailable for a moment: the next tick tries again.
            }
        }
    }
}
