using System.Text;
using Dapper;
using Socle.Platform.Journal;
using Socle.Platform.Storage;
using Socle.Testing;

namespace Socle.Platform.Tests;

/// <summary>The stored journal, on both providers.</summary>
public class JournalStoreTests
{
    private static async Task<(TestDatabase Db, Journal.Journal Journal, FakeClock Clock)> NewJournalAsync(string provider, CancellationToken ct)
    {
        var t = await TestDatabase.CreateAsync(provider, ct);
        var clock = new FakeClock();
        await new MigrationRunner(t.Database, clock).RunAsync([new MigrationSet("platform", typeof(Journal.Journal).Assembly)], ct);
        return (t, new Journal.Journal(t.Database, clock), clock);
    }

    [Theory, StorageProviders]
    public async Task Appended_events_form_a_chain_from_height_zero(string provider)
    {
        var ct = TestContext.Current.CancellationToken;
        var (t, journal, clock) = await NewJournalAsync(provider, ct);
        await using var _ = t;

        var first = await journal.AppendAsync("shop/1", "order.placed", """{"order":"A","total_eur":"12.50"}""", ct);
        clock.Advance(TimeSpan.FromSeconds(1));
        var second = await journal.AppendAsync("shop/1", "order.paid", """{"order":"A"}""", ct);
        var other = await journal.AppendAsync("shop/2", "order.placed", """{"order":"B"}""", ct);

        Assert.Equal(0, first.Height);
        Assert.Null(first.Parent);
        Assert.Equal(1, second.Height);
        Assert.Equal(first.Hash, second.Parent);
        Assert.Equal(0, other.Height);
        Assert.Equal("2026-01-15T09:00:01.000000Z", second.Time);
        Assert.Equal(JournalEvent.Sha256Hex("""{"order":"A"}"""u8), second.PayloadHash);

        var head = await journal.HeadAsync("shop/1", ct);
        Assert.Equal(new JournalHead("shop/1", 1, second.Hash), head);
        Assert.Null(await journal.HeadAsync("shop/3", ct));
        Assert.Equal(["shop/1", "shop/2"], await journal.StreamsAsync("shop/", ct));

        var read = new List<JournalEvent>();
        await foreach (var e in journal.ReadAsync("shop/1", 0, ct))
        {
            read.Add(e);
        }
        Assert.Equal([first, second], read);
    }

    [Theory, StorageProviders]
    public async Task Concurrent_appends_to_one_stream_never_fork_or_skip(string provider)
    {
        var ct = TestContext.Current.CancellationToken;
        var (t, journal, _) = await NewJournalAsync(provider, ct);
        await using var _ = t;

        await Task.WhenAll(Enumerable.Range(0, 8).Select(worker => Task.Run(async () =>
        {
            for (var i = 0; i < 15; i++)
            {
                await journal.AppendAsync("busy", "tick", $$"""{"worker":{{worker}},"i":{{i}}}""", ct);
            }
        }, ct)));

        var verification = await journal.VerifyStoredAsync(["busy"], ct);
        Assert.True(verification.Ok, verification.Problem?.Message);
        Assert.Equal(120, verification.Events);
        Assert.Equal(119, verification.Heads.Single().Height);
    }

    [Theory, StorageProviders]
    public async Task An_event_appended_in_a_transaction_that_rolls_back_is_not_kept(string provider)
    {
        var ct = TestContext.Current.CancellationToken;
        var (t, journal, _) = await NewJournalAsync(provider, ct);
        await using var _ = t;
        await journal.AppendAsync("s", "created", "{}", ct);

        await Assert.ThrowsAsync<InvalidOperationException>(() => t.Database.InTransactionAsync(async (c, tx) =>
        {
            await journal.AppendAsync(c, tx, "s", "changed", """{"n":1}""", ct);
            throw new InvalidOperationException("the change it records failed");
        }, ct));

        var next = await journal.AppendAsync("s", "changed", """{"n":2}""", ct);
        Assert.Equal(1, next.Height);
        Assert.True((await journal.VerifyStoredAsync(null, ct)).Ok);
    }

    [Theory, StorageProviders]
    public async Task Stored_events_cannot_be_updated_or_deleted(string provider)
    {
        var ct = TestContext.Current.CancellationToken;
        var (t, journal, _) = await NewJournalAsync(provider, ct);
        await using var _ = t;
        await journal.AppendAsync("s", "created", """{"a":1}""", ct);

        await using var c = await t.Database.OpenAsync(ct);
        var update = await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => c.ExecuteAsync("UPDATE journal_events SET payload = '{\"a\":2}'"));
        Assert.Contains("append-only", update.Message);
        var delete = await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => c.ExecuteAsync("DELETE FROM journal_events"));
        Assert.Contains("append-only", delete.Message);
    }

    [Theory, StorageProviders]
    public async Task Bad_names_and_bad_payloads_are_refused_before_anything_is_written(string provider)
    {
        var ct = TestContext.Current.CancellationToken;
        var (t, journal, _) = await NewJournalAsync(provider, ct);
        await using var _ = t;
        await Assert.ThrowsAsync<ArgumentException>(() => journal.AppendAsync("Bad Stream", "t", "{}", ct));
        await Assert.ThrowsAsync<ArgumentException>(() => journal.AppendAsync("s", "t\"x", "{}", ct));
        var e = await Assert.ThrowsAsync<ArgumentException>(() => journal.AppendAsync("s", "t", "{not json", ct));
        Assert.Contains("not valid JSON", e.Message);
        Assert.Empty(await journal.StreamsAsync("", ct));
    }

    [Theory, StorageProviders]
    public async Task A_pretty_printed_payload_is_stored_on_one_line_and_exports_verify(string provider)
    {
        var ct = TestContext.Current.CancellationToken;
        var (t, journal, _) = await NewJournalAsync(provider, ct);
        await using var _ = t;
        var e = await journal.AppendAsync("s", "t", "{\n  \"a\": [1, 2],\n  \"b\": \"x\\ny\"\n}", ct);
        Assert.Equal("""{"a":[1,2],"b":"x\ny"}""", e.Payload);
        Assert.True((await journal.VerifyStoredAsync(null, ct)).Ok);
    }

    /// <summary>A batch appended to many streams at once gives exactly the events the same appends one by one give.</summary>
    [Theory, StorageProviders]
    public async Task A_batch_across_streams_equals_the_same_appends_one_by_one(string provider)
    {
        var ct = TestContext.Current.CancellationToken;
        (string Stream, string Type, string Payload)[] items =
        [
            ("shop/2", "order.placed", """{"order":"B"}"""),
            ("shop/1", "order.paid", """{"order":"A"}"""),
            ("shop/3", "order.placed", "{\n  \"order\": \"C\"\n}"),
            ("shop/2", "order.paid", """{"order":"B"}"""),
            ("shop/1", "order.shipped", """{"order":"A"}"""),
        ];
        var (t1, batched, _) = await NewJournalAsync(provider, ct);
        await using var _1 = t1;
        var (t2, oneByOne, _) = await NewJournalAsync(provider, ct);
        await using var _2 = t2;
        foreach (var j in new[] { batched, oneByOne })
        {
            await j.AppendAsync("shop/1", "order.placed", """{"order":"A"}""", ct);
        }

        var events = await t1.Database.InTransactionAsync((c, tx) => batched.AppendEachAsync(c, tx, items, ct), ct);
        var expected = new List<JournalEvent>();
        foreach (var (stream, type, payload) in items)
        {
            expected.Add(await oneByOne.AppendAsync(stream, type, payload, ct));
        }

        Assert.Equal(expected, events);
        Assert.Equal([0L, 1L, 0L, 1L, 2L], events.Select(e => e.Height));
        Assert.Equal(events[1].Hash, events[4].Parent);
        Assert.Equal(new JournalHead("shop/1", 2, events[4].Hash), await batched.HeadAsync("shop/1", ct));
        Assert.Equal(new JournalHead("shop/2", 1, events[3].Hash), await batched.HeadAsync("shop/2", ct));
        var verification = await batched.VerifyStoredAsync(null, ct);
        Assert.True(verification.Ok, verification.Problem?.Message);
        Assert.Equal(6, verification.Events);
    }

    [Theory, StorageProviders]
    public async Task A_batch_that_rolls_back_leaves_no_event_and_no_head(string provider)
    {
        var ct = TestContext.Current.CancellationToken;
        var (t, journal, _) = await NewJournalAsync(provider, ct);
        await using var _ = t;
        await Assert.ThrowsAsync<InvalidOperationException>(() => t.Database.InTransactionAsync(async (c, tx) =>
        {
            await journal.AppendEachAsync(c, tx, [("a/1", "x", "{}"), ("a/2", "x", "{}")], ct);
            throw new InvalidOperationException("the caller's change failed");
        }, ct));
        Assert.Empty(await journal.StreamsAsync("a/", ct));
        await Assert.ThrowsAsync<ArgumentException>(() => t.Database.InTransactionAsync((c, tx) => journal.AppendEachAsync(c, tx, [("a/1", "x", "{}"), ("a/2", "x", "not json")], ct), ct));
        Assert.Empty(await journal.StreamsAsync("a/", ct));
    }

    /// <summary>The same events appended on SQLite and on PostgreSQL export to the same bytes, and both verify.</summary>
    [Fact]
    public async Task An_export_from_sqlite_is_identical_to_one_from_postgres()
    {
        Assert.SkipWhen(TestDatabase.PostgresSkipReason is not null, TestDatabase.PostgresSkipReason ?? "");
        var ct = TestContext.Current.CancellationToken;
        var exports = new List<byte[]>();
        foreach (var provider in new[] { TestDatabase.Sqlite, TestDatabase.Postgres })
        {
            var (t, journal, clock) = await NewJournalAsync(provider, ct);
            await using var _ = t;
            for (var i = 0; i < 50; i++)
            {
                clock.Advance(TimeSpan.FromMilliseconds(1234.5678));
                await journal.AppendAsync(i % 3 == 0 ? "voting/election/a" : "loyalty/merchant/7", i % 2 == 0 ? "ballot.cast" : "points.earned",
                    $$"""{"i":{{i}},"text":"événement n°{{i}} — ✓","amount":"{{i * 1.25m}}"}""", ct);
            }
            using var ms = new MemoryStream();
            await journal.ExportAsync(ms, null, ct);
            exports.Add(ms.ToArray());
        }
        Assert.Equal(Encoding.UTF8.GetString(exports[0]), Encoding.UTF8.GetString(exports[1]));
        var sqlite = JournalVerifier.Verify(exports[0]);
        var postgres = JournalVerifier.Verify(exports[1]);
        Assert.True(sqlite.Ok, sqlite.Problem?.Message);
        Assert.Equal(sqlite, postgres with { Heads = sqlite.Heads });
        Assert.Equal(sqlite.Heads, postgres.Heads);
        Assert.Equal(50, sqlite.Events);
    }
}
