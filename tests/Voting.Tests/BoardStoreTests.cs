using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Socle.Modules.Voting.Boards;
using Socle.Modules.Voting.Verification;
using Socle.Platform;
using Socle.Platform.Journal;
using Socle.Testing;

namespace Socle.Voting.Tests;

/// <summary>Published boards on SQLite and PostgreSQL: stored as verified, only growing, recorded in the journal.</summary>
public class BoardStoreTests
{
    private static VerificationReport Verify(byte[] bytes) => BoardVerifier.Verify(new MemoryStream(bytes));

    [Theory, StorageProviders]
    public async Task A_verified_board_is_published_once_and_read_back_unchanged(string provider)
    {
        await using var factory = await VotingFactory.StartAsync(provider);
        var store = factory.Services.GetRequiredService<BoardStore>();
        var ct = TestContext.Current.CancellationToken;
        var bytes = Boards.DemoBytes;

        var first = await store.PublishAsync(bytes, Verify(bytes), ct);
        var again = await store.PublishAsync(bytes, Verify(bytes), ct);

        Assert.Equal(PublishKind.Created, first.Value.Kind);
        Assert.Equal(PublishKind.Unchanged, again.Value.Kind);
        Assert.Equal(bytes, await store.GetBoardAsync(Boards.DemoUuid, ct));
        var listed = Assert.Single(await store.ListAsync(10, ct));
        Assert.Equal(Boards.DemoUuid, listed.Uuid);
        Assert.Equal("Published", listed.State);
        Assert.Equal(13, listed.Ballots);
        Assert.Equal(12, listed.Counted);
        var report = await store.GetReportAsync(Boards.DemoUuid, ct);
        Assert.True(report!.Ok);
        Assert.Equal(6, report.Result![0].Counts.Single(c => c.Answer == "Camille Martin").Count);
        var journal = factory.Services.GetRequiredService<Journal>();
        var events = await journal.ReadAsync(BoardStore.Stream, ct: ct).ToListAsync(ct);
        Assert.Equal("board.published", Assert.Single(events).Type);
    }

    [Theory, StorageProviders]
    public async Task A_board_may_grow_but_not_be_rewritten(string provider)
    {
        await using var factory = await VotingFactory.StartAsync(provider);
        var store = factory.Services.GetRequiredService<BoardStore>();
        var ct = TestContext.Current.CancellationToken;
        var early = Boards.DemoPrefix(8); // setup and 7 ballots: voting open
        var full = Boards.DemoBytes;

        Assert.Equal(PublishKind.Created, (await store.PublishAsync(early, Verify(early), ct)).Value.Kind);
        Assert.Equal("Open", (await store.GetAsync(Boards.DemoUuid, ct))!.State);
        Assert.Equal(PublishKind.Extended, (await store.PublishAsync(full, Verify(full), ct)).Value.Kind);
        Assert.Equal("Published", (await store.GetAsync(Boards.DemoUuid, ct))!.State);

        // Going back to the early board, or to a different board of the same election, is refused.
        var back = await store.PublishAsync(early, Verify(early), ct);
        Assert.Equal(ErrorKind.Conflict, back.Error!.Kind);
        Assert.Equal("board_rewritten", back.Error.Code);
        Assert.Equal(full, await store.GetBoardAsync(Boards.DemoUuid, ct));
        var journal = factory.Services.GetRequiredService<Journal>();
        Assert.Equal(["board.published", "board.extended"], (await journal.ReadAsync(BoardStore.Stream, ct: ct).ToListAsync(ct)).Select(e => e.Type));
    }

    [Theory, StorageProviders]
    public async Task A_board_that_does_not_verify_is_not_stored(string provider)
    {
        await using var factory = await VotingFactory.StartAsync(provider);
        var store = factory.Services.GetRequiredService<BoardStore>();
        var ct = TestContext.Current.CancellationToken;
        var bad = Boards.DemoBytes.ToArray();
        bad[(3 * 512) + 20] ^= 1; // inside election.json, the first data file

        var result = await store.PublishAsync(bad, Verify(bad), ct);

        Assert.Equal(ErrorKind.Invalid, result.Error!.Kind);
        Assert.Empty(await store.ListAsync(10, ct));
        await using var c = await factory.Database.Database.OpenAsync(ct);
        Assert.Equal(0, await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM voting_boards"));
    }

    [Theory, StorageProviders]
    public async Task Concurrent_publications_of_the_same_board_store_it_once(string provider)
    {
        await using var factory = await VotingFactory.StartAsync(provider);
        var store = factory.Services.GetRequiredService<BoardStore>();
        var ct = TestContext.Current.CancellationToken;
        var bytes = Boards.DemoBytes;
        var report = Verify(bytes);

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(() => store.PublishAsync(bytes, report, ct), ct)));

        Assert.All(outcomes, o => Assert.True(o.IsSuccess, o.Error?.Message));
        Assert.Equal(1, outcomes.Count(o => o.Value.Kind == PublishKind.Created));
        var journal = factory.Services.GetRequiredService<Journal>();
        Assert.Single(await journal.ReadAsync(BoardStore.Stream, ct: ct).ToListAsync(ct));
    }
}
