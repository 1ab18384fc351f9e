using System.Diagnostics;
using System.Threading.Channels;
using Socle.Modules.Voting.Crypto.Ed25519.Simd;
using Socle.Modules.Voting.Records;

namespace Socle.Modules.Voting.Verification;

/// <summary>
/// Checks the ballots being cast in one election, as they arrive from many voters at once. One worker per core; one
/// worker at a time gathers what is waiting: three or more ballots of the same shape go through the eight-lane SIMD
/// engine together (about three times less work per ballot than one at a time). A worker that finds only one or two
/// waits up to <see cref="GatherMilliseconds"/> from the first one's arrival for others, as they come about once a
/// millisecond in a busy election; whatever it then has, if fewer than three, is checked alone. A quiet election pays
/// those milliseconds; a busy one checks almost every ballot in lanes. Each ballot's verdict is its own: the lanes
/// compute each ballot's commitments separately, nothing is combined across voters.
/// </summary>
internal sealed class BallotBatcher : IDisposable
{
    private const int AloneBelow = 3;
    private const int GatherMilliseconds = 3;
    private readonly SemaphoreSlim _gathering = new(1, 1);
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleWriter = false });
    private readonly ElectionRecord _election;

    public BallotBatcher(ElectionRecord election, int workers)
    {
        _election = election;
        for (var w = 0; w < Math.Max(1, workers); w++)
        {
            _ = Task.Run(WorkAsync);
        }
    }

    /// <summary>Null when the ballot is valid, otherwise the reason with its code.</summary>
    public Task<BallotProblem?> CheckAsync(Ballot ballot, CancellationToken ct = default)
    {
        var pending = new Pending(ballot);
        if (!_queue.Writer.TryWrite(pending))
        {
            throw new ObjectDisposedException(nameof(BallotBatcher));
        }
        return pending.Done.Task.WaitAsync(ct);
    }

    public void Dispose() => _queue.Writer.TryComplete();

    private sealed record Pending(Ballot Ballot)
    {
        public long Arrived { get; } = Stopwatch.GetTimestamp();

        public TaskCompletionSource<BallotProblem?> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private void Take(List<Pending> taken, int capacity)
    {
        while (taken.Count < capacity && _queue.Reader.TryRead(out var p))
        {
            taken.Add(p);
        }
    }

    private async Task WorkAsync()
    {
        var checker = new BallotChecker(_election);
        var lanes = _election.Group.CreateLaneEvaluator(_election.PublicKey);
        var taken = new List<Pending>(LaneEvaluator.Lanes);
        var prepared = new List<(Pending Item, BallotChecker.Prepared Ballot)>(LaneEvaluator.Lanes);
        var failed = new int[LaneEvaluator.Lanes];
        var capacity = lanes is null ? 1 : LaneEvaluator.Lanes;
        while (true)
        {
            taken.Clear();
            await _gathering.WaitAsync();
            try
            {
                if (!await _queue.Reader.WaitToReadAsync())
                {
                    return;
                }
                Take(taken, capacity);
                while (taken.Count > 0 && taken.Count < capacity && Stopwatch.GetElapsedTime(taken[0].Arrived).TotalMilliseconds < GatherMilliseconds)
                {
                    await Task.Delay(1);
                    Take(taken, capacity);
                }
            }
            finally
            {
                _gathering.Release();
            }
            if (taken.Count == 0)
            {
                continue;
            }
            try
            {
                prepared.Clear();
                foreach (var p in taken)
                {
                    if (lanes is null || taken.Count < AloneBelow)
                    {
                        p.Done.TrySetResult(checker.Check(p.Ballot));
                    }
                    else if (checker.Prepare(p.Ballot, out var problem) is { } ready)
                    {
                        prepared.Add((p, ready));
                    }
                    else
                    {
                        p.Done.TrySetResult(problem);
                    }
                }
                while (prepared.Count > 0)
                {
                    var shape = prepared[0].Ballot.Batch;
                    var group = prepared.Where(x => x.Ballot.Batch.SameShape(shape)).ToList();
                    if (group.Count < AloneBelow)
                    {
                        foreach (var (item, ballot) in group)
                        {
                            item.Done.TrySetResult(checker.Finish(ballot));
                        }
                    }
                    else
                    {
                        lanes!.Evaluate(group.Select(x => x.Ballot.Batch).ToList(), group.Select(x => x.Ballot.Encodings).ToList(), failed);
                        for (var k = 0; k < group.Count; k++)
                        {
                            group[k].Ballot.FailedBase = failed[k];
                            group[k].Item.Done.TrySetResult(checker.Conclude(group[k].Ballot));
                        }
                    }
                    prepared.RemoveAll(group.Contains);
                }
            }
            catch (Exception e)
            {
                // A fault in the engine must not leave voters waiting: their ballots are refused, nothing is recorded.
                foreach (var p in taken)
                {
                    p.Done.TrySetException(e);
                }
                checker = new BallotChecker(_election);
            }
        }
    }
}
