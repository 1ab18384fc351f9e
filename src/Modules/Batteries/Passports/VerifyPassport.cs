using System.Text;
using System.Text.Json;
using Dapper;
using Socle.Modules.Batteries.Parties;
using Socle.Modules.Batteries.Signing;
using Socle.Platform.Journal;

namespace Socle.Modules.Batteries.Passports;

/// <summary>One thing wrong with a passport's record.</summary>
public sealed record VerificationProblem(int? Version, string Kind, string Message)
{
    public override string ToString() => Version is { } v ? $"version {v}: {Kind}: {Message}" : $"{Kind}: {Message}";
}

public sealed record VerificationReport(string PassportId, bool Ok, int Versions, IReadOnlyList<VerificationProblem> Problems);

public sealed partial class PassportRegistry
{
    /// <summary>
    /// Checks a passport's whole record, independently of what the application believes: each stored document hashes to its
    /// recorded hash; each names the previous version's hash; each signature verifies (ES256) with a key that belongs to the
    /// party the document names as signer, and that party was allowed to make that change; the journal stream of the
    /// passport is an unbroken hash chain whose events, one per version in order, record exactly those hashes; and the
    /// head row agrees with the last version. Problems are named by kind: <c>hash_mismatch</c>, <c>document_mismatch</c>,
    /// <c>chain_broken</c>, <c>signature_invalid</c>, <c>unknown_key</c>, <c>signer_not_allowed</c>, <c>journal_mismatch</c>,
    /// <c>journal_invalid</c>, <c>version_missing</c>, <c>head_mismatch</c>.
    /// </summary>
    public async Task<VerificationReport?> VerifyAsync(string id, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        var headRow = await c.QuerySingleOrDefaultAsync<HeadRow>(new CommandDefinition(
            $"SELECT {HeadColumns} FROM battery_passports WHERE id = @id", new { id }, cancellationToken: ct));
        if (headRow is null)
        {
            return null;
        }
        var rows = (await c.QueryAsync<StoredVersionRow>(new CommandDefinition(
            "SELECT CAST(version AS BIGINT) AS version, document, hash, signature, key_id AS KeyId, journal_stream AS JournalStream, journal_height AS JournalHeight, journal_hash AS JournalHash " +
            "FROM battery_passport_versions WHERE passport_id = @id ORDER BY version", new { id }, cancellationToken: ct))).AsList();
        await c.CloseAsync();

        var problems = new List<VerificationProblem>();
        var stream = StreamOf(id);
        var events = new List<JournalEvent>();
        await foreach (var e in journal.ReadAsync(stream, 0, ct))
        {
            events.Add(e);
        }

        // the journal stream itself: recompute every hash from an export, as any outside verifier would
        var check = await journal.VerifyStoredAsync([stream], ct);
        if (!check.Ok)
        {
            problems.Add(new(null, "journal_invalid", $"the journal stream {stream} does not verify: {check.Problem}"));
        }

        string? previousHash = null;
        PassportVersion? last = null;
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            var n = checked((int)row.Version);
            if (n != i + 1)
            {
                problems.Add(new(i + 1, "version_missing", $"version {i + 1} is missing (found {n})"));
                break;
            }
            var bytes = Encoding.UTF8.GetBytes(row.Document);
            var hash = PassportVersion.Hash(bytes);
            if (hash != row.Hash)
            {
                problems.Add(new(n, "hash_mismatch", $"the stored document hashes to {hash[..16]}…, the record says {row.Hash[..16]}…"));
            }
            PassportVersion? doc = null;
            try
            {
                doc = PassportVersion.Parse(row.Document);
            }
            catch (Exception e) when (e is JsonException or FormatException or KeyNotFoundException or InvalidOperationException or ArgumentException)
            {
                problems.Add(new(n, "document_mismatch", $"the stored document is not a version document: {e.Message}"));
            }
            if (doc is not null)
            {
                if (doc.Passport != id || doc.Version != n)
                {
                    problems.Add(new(n, "document_mismatch", $"the document is {doc.Passport} version {doc.Version}"));
                }
                if (doc.Previous != previousHash)
                {
                    problems.Add(new(n, "chain_broken", previousHash is null ? "the first version names a previous one" : $"the document names previous {doc.Previous?[..Math.Min(16, doc.Previous.Length)]}…, version {n - 1} hashes to {previousHash[..16]}…"));
                }
                await CheckSignatureAsync(problems, n, doc, row, bytes, ct);
            }
            if (i >= events.Count)
            {
                problems.Add(new(n, "journal_mismatch", $"no journal event records version {n}"));
            }
            else
            {
                var e = events[i];
                var recorded = ReadJournalPayload(e.Payload);
                if (e.Type != JournalType || recorded is null || recorded.Version != n || recorded.Hash != hash)
                {
                    problems.Add(new(n, "journal_mismatch", $"journal event {e.Height} records {(recorded is null ? "something else" : $"version {recorded.Version} with hash {recorded.Hash[..Math.Min(16, recorded.Hash.Length)]}…")}, the document hashes to {hash[..16]}…"));
                }
                if (row.JournalStream != stream || row.JournalHeight != e.Height || row.JournalHash != e.Hash)
                {
                    problems.Add(new(n, "journal_mismatch", "the version's recorded journal position does not match the journal"));
                }
            }
            previousHash = row.Hash;
            last = doc;
        }
        if (events.Count > rows.Count)
        {
            problems.Add(new(rows.Count + 1, "version_missing", $"the journal records {events.Count} versions, the registry holds {rows.Count}: a version was removed"));
        }
        var head = headRow.ToHead();
        if (rows.Count > 0 && (head.CurrentVersion != rows.Count || head.CurrentHash != rows[^1].Hash))
        {
            problems.Add(new(null, "head_mismatch", $"the passport points to version {head.CurrentVersion}, the last recorded version is {rows.Count}"));
        }
        else if (last is not null && (head.Status != last.Status || head.Lifecycle != last.Lifecycle || head.OperatorId != last.Operator || head.BatteryId != last.BatteryId))
        {
            problems.Add(new(null, "head_mismatch", "the passport's status, lifecycle, operator or battery differs from its last version"));
        }
        if (problems.Count > 0)
        {
            Log.VerificationFailed(logger, id, problems[0].ToString());
        }
        return new VerificationReport(id, problems.Count == 0, rows.Count, problems);
    }

    private async Task CheckSignatureAsync(List<VerificationProblem> problems, int n, PassportVersion doc, StoredVersionRow row, byte[] bytes, CancellationToken ct)
    {
        var header = Jws.ReadHeader(row.Signature);
        if (header is null || header.Kid != row.KeyId)
        {
            problems.Add(new(n, "signature_invalid", "the signature is not a JWS made with the recorded key"));
            return;
        }
        var key = await keys.PublicAsync(row.KeyId, ct);
        if (key is null)
        {
            problems.Add(new(n, "unknown_key", $"key {row.KeyId} is not in the registry"));
            return;
        }
        if (key.Value.OperatorId != doc.SignedBy)
        {
            problems.Add(new(n, "signature_invalid", $"key {row.KeyId} belongs to {key.Value.OperatorId}, not to the signer {doc.SignedBy}"));
            return;
        }
        using (var ecdsa = key.Value.Jwk.ToECDsa())
        {
            if (!Jws.Verify(ecdsa, row.Signature, bytes))
            {
                problems.Add(new(n, "signature_invalid", $"the ES256 signature does not verify with key {row.KeyId}"));
                return;
            }
        }
        var signer = await parties.GetAsync(doc.SignedBy, ct);
        if (signer is null || !SignerAllowed(doc.Change, signer.Id, signer.Role, signer.IsRecycler, doc.Operator))
        {
            problems.Add(new(n, "signer_not_allowed", $"{doc.SignedBy} may not record '{doc.Change}' on a passport of {doc.Operator}"));
        }
    }

    private static JournalPayload? ReadJournalPayload(string payload)
    {
        try
        {
            return JsonSerializer.Deserialize<JournalPayload>(payload, PartyStore.Json);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private sealed record StoredVersionRow(long Version, string Document, string Hash, string Signature, string KeyId, string JournalStream, long JournalHeight, string JournalHash);
}
