using System.Data.Common;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Socle.Platform;

namespace Socle.Modules.Loyalty.Ledger;

/// <summary>
/// Group commit for purchases. Submissions queue on one of a few writer loops chosen by member, so one member's purchases
/// are always handled by the same loop in arrival order; each loop takes everything queued (up to
/// <c>Socle:Loyalty:MaxBatch</c>) and records it in one transaction, then answers every submitter. Nothing waits on a
/// timer: an idle loop commits a single purchase at once, a busy one amortises each commit (one WAL flush on PostgreSQL)
/// over the whole batch. A batch first runs without looking up earlier purchases by key; if a key turns out to be
/// recorded already (a retried purchase), the batch runs again with the lookup. If a batch still fails on the database
/// (a deadlock, a key reused across members), each purchase of it is retried alone so the others are not lost.
/// </summary>
public sealed class PurchaseWriter : IAsyncDisposable
{
    private readonly record struct Pending(PurchaseCommand Command, TaskCompletionSource<Result<PurchaseOutcome>> Done);

    private readonly PurchaseProcessor _processor;
    private readonly MemberLedger _ledger;
    private readonly ILogger<PurchaseWriter> _logger;
    private readonly Channel<Pending>[] _queues;
    private readonly Task[] _loops;
    private readonly int _maxBatch;
    private readonly CancellationTokenSource _stop = new();

    public PurchaseWriter(Platform.Storage.Database db, TimeProvider time, MemberLedger ledger, IOptions<LoyaltyOptions> options, ILogger<PurchaseWriter> logger)
    {
        _processor = new PurchaseProcessor(db, time);
        _ledger = ledger;
        _logger = logger;
        _maxBatch = options.Value.MaxBatch;
        var shards = db.IsPostgres ? options.Value.WriterLoops : 1; // SQLite has one writer at a time anyway
        _queues = new Channel<Pending>[shards];
        _loops = new Task[shards];
        for (var i = 0; i < shards; i++)
        {
            _queues[i] = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
            var queue = _queues[i];
            _loops[i] = Task.Run(() => LoopAsync(queue.Reader));
        }
    }

    /// <summary>Records one purchase (through the group commit) and, once committed, what it triggers (referral, Nth visit).</summary>
    public async Task<Result<PurchaseOutcome>> SubmitAsync(PurchaseCommand command, CancellationToken ct = default)
    {
        var done = new TaskCompletionSource<Result<PurchaseOutcome>>(TaskCreationOptions.RunContinuationsAsynchronously);
        var shard = unchecked((int)((uint)StringComparer.Ordinal.GetHashCode(ShardKey(command)) % (uint)_queues.Length));
        if (!_queues[shard].Writer.TryWrite(new Pending(command, done)))
        {
            throw new ObjectDisposedException(nameof(PurchaseWriter));
        }
        return await done.Task.WaitAsync(ct);
    }

    private static string ShardKey(PurchaseCommand c)
    {
        if (c.MemberId is { } id)
        {
            return id;
        }
        if (c.MemberCode is { } code && code.Split('.') is { Length: 5 } parts)
        {
            return parts[1];
        }
        return c.IdempotencyKey;
    }

    private async Task LoopAsync(ChannelReader<Pending> reader)
    {
        var batch = new List<Pending>(_maxBatch);
        try
        {
            while (await reader.WaitToReadAsync(_stop.Token))
            {
                batch.Clear();
                while (batch.Count < _maxBatch && reader.TryRead(out var item))
                {
                    batch.Add(item);
                }
                await CommitAsync(batch);
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // shutting down
        }
        while (reader.TryRead(out var left))
        {
            left.Done.TrySetCanceled();
        }
    }

    private async Task CommitAsync(List<Pending> batch, bool lookUpPrevious = false)
    {
        var commands = batch.Select(p => p.Command).ToList();
        try
        {
            var (results, followUps) = await _processor.ProcessAsync(commands, CancellationToken.None, lookUpPrevious);
            Log.PurchaseBatch(_logger, batch.Count);
            await FollowUpAsync(followUps);
            for (var i = 0; i < batch.Count; i++)
            {
                batch[i].Done.TrySetResult(results[i]);
            }
        }
        catch (DbException e) when (!lookUpPrevious && IsUniqueViolation(e))
        {
            // a key already recorded (a retried purchase): decide the batch again, reading the earlier purchases
            await CommitAsync(batch, lookUpPrevious: true);
        }
        catch (DbException e) when (batch.Count > 1)
        {
            Log.BatchRetried(_logger, e, batch.Count);
            foreach (var one in batch)
            {
                await CommitAsync([one], lookUpPrevious: true);
            }
        }
        catch (DbException e) when (IsUniqueViolation(e))
        {
            batch[0].Done.TrySetResult(Error.Conflict("idempotency_key_reused",
                $"The idempotency key '{batch[0].Command.IdempotencyKey}' was already used for a different purchase."));
        }
        catch (Exception e)
        {
            foreach (var p in batch)
            {
                p.Done.TrySetException(e);
            }
        }
    }

    private async Task FollowUpAsync(List<FollowUp> followUps)
    {
        foreach (var f in followUps)
        {
            try
            {
                await _ledger.AfterPurchaseAsync(f, CancellationToken.None);
            }
            catch (Exception e) when (e is DbException or InvalidOperationException)
            {
                // the purchase is committed; a missed bonus is granted again by the next sweep (its key is idempotent)
                Log.FollowUpFailed(_logger, e, f.MemberId);
            }
        }
    }

    internal static bool IsUniqueViolation(DbException e) =>
        e.SqlState == "23505" || (e is Microsoft.Data.Sqlite.SqliteException s && s.SqliteErrorCode == 19);

    public async ValueTask DisposeAsync()
    {
        foreach (var q in _queues)
        {
            q.Writer.TryComplete();
        }
        try
        {
            await Task.WhenAll(_loops).WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (TimeoutException)
        {
            await _stop.CancelAsync();
        }
        _stop.Dispose();
    }
}
