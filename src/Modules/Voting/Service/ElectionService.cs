using System.Data.Common;
using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json;
using Dapper;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Socle.Modules.Voting.Boards;
using Socle.Modules.Voting.Crypto;
using Socle.Modules.Voting.Elections;
using Socle.Modules.Voting.Records;
using Socle.Modules.Voting.Records.Board;
using Socle.Modules.Voting.Verification;
using Socle.Platform;
using Socle.Platform.Storage;

namespace Socle.Modules.Voting.Service;

/// <summary>The lifecycle of an election; every step is recorded in the election's journal and the catalog's.</summary>
public static class ElectionStates
{
    public const string Draft = "draft";
    public const string Setup = "setup";
    public const string Open = "open";
    public const string Closed = "closed";
    public const string Tallied = "tallied";
    public const string Published = "published";
    public const string Archived = "archived";
    public const string Destroyed = "destroyed";
}

public sealed record ElectionSummary(string Id, string Name, string State, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, string? SealedSha256);

public sealed record CreatedElection(string Id, string AdminToken);

public sealed record TrusteeView(int Index, string Name, bool IsServer, bool HasKey, bool HasDecrypted);

/// <summary>What anyone may read about an election.</summary>
public sealed record ElectionView(
    string Id, string State, ElectionDefinition Definition, int Voters, int Voted, long BallotsOnBoard,
    IReadOnlyList<TrusteeView> Trustees, bool CredentialsReady, string? Fingerprint, bool AcceptingBallots, string? ElectionJson, string? ResultJson);

public sealed record VoterRow(string VoterId, string? Email, string? Name, string Weight, bool HasCredential, bool Paper, DateTimeOffset? VotedAt, int Ballots);

public sealed record TrusteeTask(string ElectionId, int Index, string Name, string State, string Group, bool HasKey, bool HasDecrypted, string? ElectionJson, string? EncryptedTallyJson, ThresholdStatus? Threshold = null);

public sealed record CredentialDelivery(int Voters, string Channel, string? File);

public sealed record IntegrityStatus(bool Ok, string? Problem, long Ballots, int Voted, DateTimeOffset CheckedAt);

/// <summary>
/// The election service (Voting II): the bureau creates and sets up an election, trustees make their keys, the
/// credential authority delivers credentials, voters cast ballots encrypted in their browser, the bureau closes,
/// trustees decrypt, the result is published and the board archived under seal, then destroyed after the appeal
/// period. The checks are those of Voting I (the same records and verifier); state lives in the election's own
/// database (<see cref="ElectionStore"/>).
/// </summary>
public sealed partial class ElectionService(
    Database main, Platform.Journal.Journal mainJournal, ElectionStore store, BoardStore boards, IVotingMailer mailer,
    IDataProtectionProvider protection, IOptions<VotingOptions> options, TimeProvider time, ILogger<ElectionService> log)
{
    public const string CatalogStream = "voting/elections";
    private const string LocalStream = "election";
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);
    internal ILogger Logger => log;

    private IDataProtector ServerShare => protection.CreateProtector("Socle.Voting.ServerShare");

    // ---- catalog -------------------------------------------------------------------------------------------------

    public async Task<IReadOnlyList<ElectionSummary>> ListAsync(CancellationToken ct = default)
    {
        await using var c = await main.OpenAsync(ct);
        var rows = await c.QueryAsync<(string Id, string Name, string State, string CreatedAt, string UpdatedAt, string? Sealed)>(
            "SELECT id, name, state, created_at, updated_at, sealed_sha256 FROM voting_elections ORDER BY created_at DESC");
        return rows.Where(r => Serves(r.Id)).Select(r => new ElectionSummary(r.Id, r.Name, r.State, Sql.ParseTime(r.CreatedAt), Sql.ParseTime(r.UpdatedAt), r.Sealed)).ToList();
    }

    /// <summary>False when this process serves one election only (<c>socle serve --election</c>) and it is another.</summary>
    public bool Serves(string id) => options.Value.Election is not { Length: > 0 } only || string.Equals(only, id, StringComparison.Ordinal);

    private async Task<(string State, string AdminHash)?> CatalogAsync(string id, CancellationToken ct)
    {
        if (!Serves(id) || !Base58.IsToken(id, 14))
        {
            return null;
        }
        await using var c = await main.OpenAsync(ct);
        var row = await c.QuerySingleOrDefaultAsync<(string State, string Hash)?>("SELECT state, admin_token_hash FROM voting_elections WHERE id = @id", new { id });
        return row;
    }

    /// <summary>Checks the bureau's token; the error says which (unknown election, or wrong token).</summary>
    public async Task<Error?> AuthoriseBureauAsync(string id, string? token, CancellationToken ct = default)
    {
        if (await CatalogAsync(id, ct) is not { } row)
        {
            return Error.NotFound($"Election {id}");
        }
        return token is { Length: > 0 } && Secrets.SameHash(row.AdminHash, token) ? null : Error.Unauthorized("The bureau's token for this election is required (Authorization: Bearer …).");
    }

    public async Task<Result<CreatedElection>> CreateAsync(ElectionDefinition definition, CancellationToken ct = default)
    {
        if (definition.Validate() is { } invalid)
        {
            return invalid;
        }
        var id = Base58.NewUuid();
        var token = Secrets.NewToken();
        var db = await store.CreateAsync(id, ct);
        var now = time.GetUtcNow();
        await db.InTransactionAsync(async (c, tx) =>
        {
            await SetAsync(c, tx, "definition", JsonSerializer.Serialize(definition, JsonOptions));
            await SetAsync(c, tx, "state", ElectionStates.Draft);
            await LocalJournal(db).AppendAsync(c, tx, LocalStream, "created", JsonSerializer.Serialize(new { id, definition.Name, definition.Group }, JsonOptions), ct);
        }, ct);
        await main.InTransactionAsync(async (c, tx) =>
        {
            await c.ExecuteAsync("INSERT INTO voting_elections (id, name, state, location, admin_token_hash, created_at, updated_at) VALUES (@id, @name, @state, @loc, @hash, @now, @now)",
                new { id, name = definition.Name, state = ElectionStates.Draft, loc = store.Location(id), hash = Secrets.Hash(token), now = Sql.Time(now) }, tx);
            await mainJournal.AppendAsync(c, tx, CatalogStream, "created", JsonSerializer.Serialize(new { id, definition.Name }, JsonOptions), ct);
        }, ct);
        Log.ElectionCreated(log, id);
        return new CreatedElection(id, token);
    }

    public async Task<Result<ElectionView>> GetAsync(string id, CancellationToken ct = default)
    {
        if (await CatalogAsync(id, ct) is not { } row)
        {
            return Error.NotFound($"Election {id}");
        }
        if (row.State == ElectionStates.Destroyed)
        {
            return Error.Conflict("election_destroyed", $"Election {id} was destroyed after its appeal period; only its sealed fingerprint remains.");
        }
        var db = store.Open(id);
        await using var c = await db.OpenAsync(ct);
        var s = await SettingsAsync(c, null);
        var definition = JsonSerializer.Deserialize<ElectionDefinition>(s["definition"], JsonOptions)!;
        var counts = await c.QuerySingleAsync<(long Voters, long Voted, long Creds)>(
            "SELECT COUNT(*), COUNT(voted_at), COUNT(credential) FROM voters");
        var ballots = await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM ballots");
        var trustees = (await c.QueryAsync<(long Idx, string Name, long IsServer, string? Key, string? Decrypted)>(
            "SELECT idx, name, is_server, public_key, decrypted_at FROM trustees ORDER BY idx"))
            .Select(t => new TrusteeView((int)t.Idx, t.Name, t.IsServer != 0, t.Key is not null, t.Decrypted is not null)).ToList();
        var electionJson = s.GetValueOrDefault("election");
        var fingerprint = electionJson is null ? null : ElectionRecord.Parse(electionJson).Fingerprint;
        var state = s["state"];
        return new ElectionView(id, state, definition, (int)counts.Voters, (int)counts.Voted, ballots, trustees,
            counts.Voters > 0 && counts.Creds == counts.Voters, fingerprint, state == ElectionStates.Open && InWindow(definition, time.GetUtcNow()),
            electionJson, s.GetValueOrDefault("result"));
    }

    /// <summary>
    /// The election's compliance with the CNIL 2019 recommendation at its risk level, from what the bureau has set:
    /// trustees (all needed to decrypt, plus the server's share), credential delivery, sign-in, revote, opening times,
    /// the integrity monitor, paper voters, the seal.
    /// </summary>
    public async Task<Result<Compliance.ComplianceReport>> ComplianceAsync(string id, CancellationToken ct = default)
    {
        var view = await GetAsync(id, ct);
        if (!view.IsSuccess)
        {
            return view.Error!;
        }
        var v = view.Value;
        await using var c = await store.Open(id).OpenAsync(ct);
        var channel = await c.QuerySingleOrDefaultAsync<string?>("SELECT v FROM election_settings WHERE k = 'credential_channel'");
        var paper = await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM voters WHERE paper <> 0");
        var people = v.Trustees.Count(t => !t.IsServer);
        var d = v.Definition;
        var settings = new Compliance.ElectionSettings(
            (Compliance.RiskLevel)d.RiskLevel,
            Trustees: v.Trustees.Count,
            Threshold: d.Threshold is { } t ? t + (v.Trustees.Any(x => x.IsServer) ? 1 : 0) : v.Trustees.Count,
            ServerHoldsShare: v.Trustees.Any(t => t.IsServer),
            CredentialDelivery: channel == "email" ? Compliance.CredentialDelivery.Email : Compliance.CredentialDelivery.PostalFile,
            VoterAuthentication: d.VoterAuthentication == "password" ? Compliance.VoterAuthentication.Password : Compliance.VoterAuthentication.EmailOneTimeCode,
            RevoteAllowed: d.Revote,
            OpeningAndClosingTimesSet: d.OpensAt is not null && d.ClosesAt is not null,
            IntegrityMonitorEnabled: options.Value.IntegrityCheckSeconds > 0,
            BureauMembers: people,
            ArchiveSealed: v.State is ElectionStates.Archived or ElectionStates.Destroyed,
            MixedWithPaper: paper > 0);
        return Compliance.ComplianceReport.For(settings);
    }

    public async Task<Result<ElectionView>> UpdateDefinitionAsync(string id, ElectionDefinition definition, CancellationToken ct = default)
    {
        if (definition.Validate() is { } invalid)
        {
            return invalid;
        }
        var r = await TransitionAsync(id, [ElectionStates.Draft], null, "definition_updated", async (c, tx, _) =>
        {
            await SetAsync(c, tx, "definition", JsonSerializer.Serialize(definition, JsonOptions));
            return (object?)null;
        }, ct, "the questions can be changed only while the election is a draft");
        if (!r.IsSuccess)
        {
            return r.Error!;
        }
        await using (var mc = await main.OpenAsync(ct))
        {
            await mc.ExecuteAsync("UPDATE voting_elections SET name = @n WHERE id = @id", new { n = definition.Name, id });
        }
        return await GetAsync(id, ct);
    }

    /// <summary>
    /// Changes the opening and closing times (the bureau's decision, journaled). Allowed until the election closes;
    /// once open, the opening time can no longer move and the closing time cannot be set in the past.
    /// </summary>
    public async Task<Result<ElectionView>> SetTimesAsync(string id, DateTimeOffset? opensAt, DateTimeOffset? closesAt, CancellationToken ct = default)
    {
        if (opensAt is { } o && closesAt is { } c0 && c0 <= o)
        {
            return Error.Validation("closesAt", "must be after opensAt");
        }
        var r = await TransitionAsync(id, [ElectionStates.Draft, ElectionStates.Setup, ElectionStates.Open], null, "times_set", async (c, tx, state) =>
        {
            var d = await DefinitionAsync(c, tx);
            var now = time.GetUtcNow();
            if (state == ElectionStates.Open && opensAt != d.OpensAt && d.OpensAt is { } was && was <= now)
            {
                return (object?)Error.Conflict("already_open", "the vote has opened; its opening time can no longer change");
            }
            if (state == ElectionStates.Open && closesAt is { } cl && cl < now)
            {
                return Error.Validation("closesAt", "is in the past; close the election instead");
            }
            await SetAsync(c, tx, "definition", JsonSerializer.Serialize(d with { OpensAt = opensAt, ClosesAt = closesAt }, JsonOptions));
            return new { opensAt, closesAt };
        }, ct);
        Refresh(id);
        return r.IsSuccess ? await GetAsync(id, ct) : r.Error!;
    }

    // ---- voters --------------------------------------------------------------------------------------------------

    /// <summary>
    /// Imports the electoral roll from CSV with a header naming the columns <c>id</c> (required), <c>email</c>,
    /// <c>name</c>, <c>weight</c>. All lines are checked first; one bad line and nothing is imported (every error is
    /// given with its line number).
    /// </summary>
    public async Task<Result<int>> ImportVotersAsync(string id, string csv, CancellationToken ct = default)
    {
        var parsed = VoterCsv.Parse(csv);
        if (!parsed.IsSuccess)
        {
            return parsed.Error!;
        }
        var voters = parsed.Value;
        var r = await TransitionAsync(id, [ElectionStates.Draft, ElectionStates.Setup], null, "voters_imported", async (c, tx, _) =>
        {
            if (await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM voters WHERE credential IS NOT NULL", transaction: tx) > 0)
            {
                return (object?)Error.Conflict("credentials_generated", "credentials have been generated; the roll can no longer change");
            }
            var existing = (await c.QueryAsync<string>("SELECT voter_id FROM voters", transaction: tx)).ToHashSet(StringComparer.Ordinal);
            var dup = voters.Where(v => existing.Contains(v.Id)).Select(v => v.Id).Take(5).ToList();
            if (dup.Count > 0)
            {
                return Error.Validation("csv", $"already on the roll: {string.Join(", ", dup)}");
            }
            await c.ExecuteAsync("INSERT INTO voters (voter_id, email, name, weight) VALUES (@Id, @Email, @Name, @Weight)",
                voters.Select(v => new { v.Id, v.Email, v.Name, Weight = (long)v.Weight }), tx);
            return new { count = voters.Count };
        }, ct, "the roll can change only before the vote opens");
        return r.IsSuccess ? voters.Count : r.Error!;
    }

    public async Task<Result<IReadOnlyList<VoterRow>>> VotersAsync(string id, CancellationToken ct = default)
    {
        if (await CatalogAsync(id, ct) is null)
        {
            return Error.NotFound($"Election {id}");
        }
        await using var c = await store.Open(id).OpenAsync(ct);
        var rows = await c.QueryAsync<(string Id, string? Email, string? Name, long Weight, string? Cred, long Paper, string? VotedAt, long Ballots)>(
            "SELECT voter_id, email, name, weight, credential, paper, voted_at, ballots FROM voters ORDER BY voter_id");
        return rows.Select(v => new VoterRow(v.Id, v.Email, v.Name, v.Weight.ToString(CultureInfo.InvariantCulture), v.Cred is not null, v.Paper != 0,
            v.VotedAt is null ? null : Sql.ParseTime(v.VotedAt), (int)v.Ballots)).ToList();
    }

    // ---- trustees ------------------------------------------------------------------------------------------------

    /// <summary>Adds a member of the bureau as trustee; the answer is the secret of their personal link (shown once).</summary>
    public async Task<Result<(int Index, string Token)>> AddTrusteeAsync(string id, string name, string? email, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Length > 200)
        {
            return Error.Validation("name", "is required (at most 200 characters)");
        }
        if (email is { Length: > 0 } && !VoterCsv.LooksLikeEmail(email))
        {
            return Error.Validation("email", $"'{email}' is not an e-mail address");
        }
        var token = Secrets.NewToken();
        long idx = 0;
        var r = await TransitionAsync(id, [ElectionStates.Draft, ElectionStates.Setup], null, "trustee_added", async (c, tx, state) =>
        {
            if (state == ElectionStates.Setup && (await DefinitionAsync(c, tx)).Threshold is not null)
            {
                return (object?)Error.Conflict("threshold_ceremony_started", "the threshold key ceremony has started: its trustees are fixed");
            }
            idx = await c.ExecuteScalarAsync<long>("SELECT COALESCE(MAX(idx), 1) + 1 FROM trustees", transaction: tx);
            await c.ExecuteAsync("INSERT INTO trustees (idx, name, email, token_hash) VALUES (@idx, @name, @email, @hash)",
                new { idx, name, email, hash = Secrets.Hash(token) }, tx);
            return (object?)new { index = idx, name };
        }, ct, "trustees are added before the vote opens");
        return r.IsSuccess ? ((int)idx, token) : r.Error!;
    }

    /// <summary>What the trustee behind this link has to do now (make a key, or decrypt the tally).</summary>
    public async Task<Result<TrusteeTask>> TrusteeTaskAsync(string id, string token, CancellationToken ct = default)
    {
        if (await CatalogAsync(id, ct) is null)
        {
            return Error.NotFound($"Election {id}");
        }
        var db = store.Open(id);
        await using var c = await db.OpenAsync(ct);
        if (await FindTrusteeAsync(c, null, token) is not { } t)
        {
            return Error.Unauthorized("This trustee link is not valid for this election.");
        }
        var s = await SettingsAsync(c, null);
        var d = JsonSerializer.Deserialize<ElectionDefinition>(s["definition"], JsonOptions)!;
        var threshold = d.Threshold is { } th && s["state"] != ElectionStates.Draft ? ThresholdStatusOf(s, await PeopleAsync(c, null), th, t.Idx - 1) : null;
        return new TrusteeTask(id, t.Idx, t.Name, s["state"], d.Group, t.Key is not null, t.Decrypted is not null,
            s.GetValueOrDefault("election"), s["state"] == ElectionStates.Tallied ? s.GetValueOrDefault("encrypted_tally") : null, threshold);
    }

    private static async Task<(int Idx, string Name, string? Key, string? Decrypted)?> FindTrusteeAsync(DbConnection c, DbTransaction? tx, string token)
    {
        var hash = Secrets.Hash(token);
        var row = await c.QuerySingleOrDefaultAsync<(long Idx, string Name, string? Key, string? Decrypted)?>(
            "SELECT idx, name, public_key, decrypted_at FROM trustees WHERE token_hash = @hash AND is_server = 0", new { hash }, tx);
        return row is { } r ? ((int)r.Idx, r.Name, r.Key, r.Decrypted) : null;
    }

    /// <summary>A trustee's public key with its proof of knowledge, made in their browser; the server checks the proof.</summary>
    public async Task<Result<TrusteeView>> UploadTrusteeKeyAsync(string id, string token, string publicKeyJson, CancellationToken ct = default)
    {
        var r = await TransitionAsync(id, [ElectionStates.Setup], null, "trustee_key", async (c, tx, _) =>
        {
            if (await FindTrusteeAsync(c, tx, token) is not { } t)
            {
                return (object?)Error.Unauthorized("This trustee link is not valid for this election.");
            }
            if (t.Key is not null)
            {
                return Error.Conflict("key_exists", $"trustee {t.Name} has already given a public key");
            }
            var definition = await DefinitionAsync(c, tx);
            if (definition.Threshold is not null)
            {
                return Error.Conflict("threshold_ceremony", "this election uses a threshold: make the certificate, polynomial and output steps instead of a single key");
            }
            var group = GroupOf(definition);
            TrusteePublicKey key;
            try
            {
                key = TrusteePublicKey.Parse(publicKeyJson, group);
            }
            catch (RecordFormatException e)
            {
                return Error.Validation("publicKey", e.Message);
            }
            if (!TrusteeKeys.CheckSingle(group, key))
            {
                return Error.Invalid("trustee_key_invalid", "publicKey: the proof of knowledge of the private key does not verify");
            }
            await c.ExecuteAsync("UPDATE trustees SET public_key = @k WHERE idx = @i", new { k = publicKeyJson, i = t.Idx }, tx);
            return new TrusteeView(t.Idx, t.Name, false, true, false);
        }, ct, "trustee keys are made during setup");
        return r.IsSuccess ? (TrusteeView)r.Value! : r.Error!;
    }

    // ---- setup ---------------------------------------------------------------------------------------------------

    /// <summary>
    /// Freezes the questions and starts the key ceremony: the server makes its own share (owner 1, kept encrypted
    /// with the host's data-protection keys and destroyed with the election); each trustee can now make theirs.
    /// </summary>
    public async Task<Result<ElectionView>> StartSetupAsync(string id, CancellationToken ct = default)
    {
        var r = await TransitionAsync(id, [ElectionStates.Draft], ElectionStates.Setup, "setup_started", async (c, tx, _) =>
        {
            var d = await DefinitionAsync(c, tx);
            var people = await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM trustees", transaction: tx);
            if (people == 0)
            {
                return (object?)Error.Conflict("no_trustees", "add at least one trustee (a member of the bureau) before the setup");
            }
            if (d.Threshold is { } threshold && threshold > people)
            {
                return Error.Validation("threshold", $"{threshold} trustees needed to decrypt, but only {people} added");
            }
            var share = TrusteeKeys.GenerateSingle(GroupOf(d), "server");
            await c.ExecuteAsync("INSERT INTO trustees (idx, name, public_key, is_server) VALUES (1, 'server', @k, 1)", new { k = share.PublicKey.ToJson() }, tx);
            await SetAsync(c, tx, "server_share", ServerShare.Protect(share.PrivateKeyJson));
            return new { serverKey = share.PublicKey.PublicKey.Encoded };
        }, ct, "the setup starts from a draft");
        return r.IsSuccess ? await GetAsync(id, ct) : r.Error!;
    }

    /// <summary>
    /// The credential authority's step: a private credential for every voter (and a password when voters sign in by
    /// password), delivered by e-mail, or returned once as a file for postal delivery. The server keeps the public
    /// credentials and password hashes only.
    /// </summary>
    public async Task<Result<CredentialDelivery>> GenerateCredentialsAsync(string id, string channel, CancellationToken ct = default)
    {
        if (channel is not ("email" or "file"))
        {
            return Error.Validation("channel", "must be 'email' or 'file' (postal delivery)");
        }
        if (channel == "email" && !mailer.Available)
        {
            return Error.Conflict("no_mail", "no SMTP server is configured (Socle:Voting:SmtpHost); deliver the credentials as a file");
        }
        List<(string Id, string? Email, string? Name, string Private, string? Password)> delivered = [];
        var r = await TransitionAsync(id, [ElectionStates.Setup], null, "credentials_generated", async (c, tx, _) =>
        {
            var d = await DefinitionAsync(c, tx);
            if (await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM voters WHERE credential IS NOT NULL", transaction: tx) > 0)
            {
                return (object?)Error.Conflict("credentials_exist", "credentials have already been generated for this election");
            }
            var voters = (await c.QueryAsync<(string Id, string? Email, string? Name)>("SELECT voter_id, email, name FROM voters WHERE paper = 0 ORDER BY voter_id", transaction: tx)).ToList();
            if (voters.Count == 0)
            {
                return Error.Conflict("no_voters", "import the electoral roll first");
            }
            if (channel == "email" && voters.FirstOrDefault(v => string.IsNullOrEmpty(v.Email)) is { Id: not null } missing)
            {
                return Error.Validation("channel", $"voter {missing.Id} has no e-mail address; deliver by file instead");
            }
            var group = GroupOf(d);
            var password = d.VoterAuthentication == "password";
            var rows = new List<object>();
            foreach (var v in voters)
            {
                var priv = Credentials.NewPrivate();
                var pub = Credentials.DerivePublic(id, priv, group).Encoded;
                var pw = password ? Secrets.NewPassword() : null;
                delivered.Add((v.Id, v.Email, v.Name, priv, pw));
                rows.Add(new { cred = pub, pw = pw is null ? null : Secrets.HashPassword(pw), vid = v.Id });
            }
            await c.ExecuteAsync("UPDATE voters SET credential = @cred, password_hash = @pw WHERE voter_id = @vid", rows, tx);
            await SetAsync(c, tx, "credential_channel", channel);
            return new { voters = voters.Count, channel };
        }, ct, "credentials are generated during setup");
        if (!r.IsSuccess)
        {
            return r.Error!;
        }
        if (channel == "file")
        {
            var sb = new StringBuilder("voter_id,email,name,credential,password\n");
            foreach (var v in delivered)
            {
                sb.Append(CultureInfo.InvariantCulture, $"{VoterCsv.Field(v.Id)},{VoterCsv.Field(v.Email)},{VoterCsv.Field(v.Name)},{v.Private},{v.Password}\n");
            }
            return new CredentialDelivery(delivered.Count, channel, sb.ToString());
        }
        var d2 = (await GetAsync(id, ct)).Value.Definition;
        var failed = 0;
        foreach (var v in delivered)
        {
            try
            {
                await mailer.SendAsync(v.Email!, $"{d2.Name} — votre code de vote / your voting credential",
                    $"Bonjour {v.Name ?? v.Id},\n\nVoici votre code de vote (credential) pour « {d2.Name} » : {v.Private}\n" +
                    (v.Password is null ? "" : $"Votre mot de passe : {v.Password}\n") +
                    $"Identifiant : {v.Id}\n\nConservez ce message : le serveur ne garde pas ce code et ne pourra pas vous le renvoyer.\n\n" +
                    $"Your voting credential for \"{d2.Name}\": {v.Private}\n" + (v.Password is null ? "" : $"Your password: {v.Password}\n") +
                    $"Login: {v.Id}\nKeep this message: the server does not keep this credential.\n", ct);
            }
            catch (Exception e) when (e is System.Net.Mail.SmtpException or InvalidOperationException or IOException)
            {
                failed++;
                Log.MailFailed(log, id, e.GetType().Name);
            }
        }
        return failed == 0
            ? new CredentialDelivery(delivered.Count, channel, null)
            : Error.Conflict("mail_failed", $"{failed} of {delivered.Count} e-mails could not be sent; regenerate nothing, ask the credential authority to re-issue those voters' credentials");
    }

    /// <summary>
    /// Public credentials made offline by the credential authority (<c>socle vote credentials</c> or Belenios' tool):
    /// Belenios' <c>public_creds.json</c> with voter ids (<c>"cred,weight,id"</c>); every id must be on the roll.
    /// </summary>
    public async Task<Result<int>> ImportPublicCredentialsAsync(string id, string publicWithIds, CancellationToken ct = default)
    {
        var count = 0;
        var r = await TransitionAsync(id, [ElectionStates.Setup], null, "public_credentials_imported", async (c, tx, _) =>
        {
            var group = GroupOf(await DefinitionAsync(c, tx));
            PublicCredentials creds;
            try
            {
                creds = PublicCredentials.Parse(publicWithIds, group);
            }
            catch (RecordFormatException e)
            {
                return (object?)Error.Validation("publicCredentials", e.Message);
            }
            var roll = (await c.QueryAsync<string>("SELECT voter_id FROM voters WHERE paper = 0", transaction: tx)).ToHashSet(StringComparer.Ordinal);
            if (creds.Items.FirstOrDefault(i => i.VoterId is null || !roll.Contains(i.VoterId)) is { } stray)
            {
                return Error.Validation("publicCredentials", $"credential {stray.Credential.Encoded[..12]}… names voter '{stray.VoterId ?? "(none)"}', who is not on the roll");
            }
            if (creds.Items.Count != roll.Count)
            {
                return Error.Validation("publicCredentials", $"{creds.Items.Count} credentials for {roll.Count} voters on the roll");
            }
            await c.ExecuteAsync("UPDATE voters SET credential = @cred WHERE voter_id = @vid",
                creds.Items.Select(i => new { cred = i.Credential.Encoded, vid = i.VoterId }), tx);
            count = creds.Items.Count;
            return new { voters = count };
        }, ct, "credentials are given during setup");
        return r.IsSuccess ? count : r.Error!;
    }

    /// <summary>
    /// Opens the election: every trustee has a key and every voter a credential. Writes election.json (public key =
    /// product of the trustees' keys), trustees.json and the public credentials on the board with the Setup event.
    /// Ballots are then accepted only between the opening and closing times the bureau set.
    /// </summary>
    public async Task<Result<ElectionView>> OpenAsync(string id, CancellationToken ct = default)
    {
        var r = await TransitionAsync(id, [ElectionStates.Setup], ElectionStates.Open, "opened", async (c, tx, _) =>
        {
            var d = await DefinitionAsync(c, tx);
            var group = GroupOf(d);
            var keys = (await c.QueryAsync<(long Idx, string Name, string? Key)>("SELECT idx, name, public_key FROM trustees ORDER BY idx", transaction: tx)).ToList();
            if (keys.FirstOrDefault(k => k.Key is null) is { Name: not null } waiting)
            {
                return (object?)Error.Conflict("trustee_key_missing", $"trustee {waiting.Name} has not made a key yet");
            }
            var voters = (await c.QueryAsync<(string Id, string? Cred, long Weight)>("SELECT voter_id, credential, weight FROM voters WHERE paper = 0", transaction: tx)).ToList();
            if (voters.Count == 0 || voters.Any(v => v.Cred is null))
            {
                return Error.Conflict("credentials_missing", "every voter needs a credential (the credential authority's step)");
            }
            var made = d.Threshold is null
                ? TrusteesRecord.Create(keys.Select(k => (TrusteeKind)new TrusteeKind.Single(TrusteePublicKey.Parse(k.Key!, group))).ToList(), group)
                : await ThresholdTrusteesAsync(c, tx, group);
            if (!made.IsSuccess)
            {
                return made.Error!;
            }
            var trustees = made.Value;
            var election = ElectionRecord.Create(d.ToTemplate(), id, group, ElectionKey.Combine(group, trustees));
            var weighted = voters.Any(v => v.Weight != 1);
            var credsJson = Json.Strings(voters.Select(v => weighted ? $"{v.Cred},{v.Weight}" : v.Cred!).Order(StringComparer.Ordinal));
            await StoredBoard.InitAsync(c, tx, election, trustees, credsJson, time.GetUtcNow().ToUnixTimeSeconds());
            await SetAsync(c, tx, "election", election.Raw);
            await SetAsync(c, tx, "trustees", trustees.Raw);
            return new { fingerprint = election.Fingerprint, voters = voters.Count, trustees = keys.Count };
        }, ct, "the election opens after its setup");
        if (r.IsSuccess)
        {
            Refresh(id);
        }
        return r.IsSuccess ? await GetAsync(id, ct) : r.Error!;
    }

    internal static bool InWindow(ElectionDefinition d, DateTimeOffset now) =>
        (d.OpensAt is not { } o || now >= o) && (d.ClosesAt is not { } c || now < c);

    /// <summary>Ends the vote (EndBallots on the board). After this, no ballot is accepted; the tally becomes possible.</summary>
    public async Task<Result<ElectionView>> CloseAsync(string id, CancellationToken ct = default)
    {
        var db = store.Open(id);
        var r = await TransitionAsync(id, [ElectionStates.Open], ElectionStates.Closed, "closed", async (c, tx, _) =>
        {
            var head = await StoredBoard.HeadAsync(db, c, tx, forUpdate: true);
            var next = await StoredBoard.AppendAsync(c, tx, head!, [([], EventType.EndBallots)]);
            var ballots = await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM ballots", transaction: tx);
            return (object?)new { ballots, height = next.Height, early = (await DefinitionAsync(c, tx)).ClosesAt is { } cl && time.GetUtcNow() < cl };
        }, ct, "only an open election can be closed");
        Refresh(id);
        return r.IsSuccess ? await GetAsync(id, ct) : r.Error!;
    }

    /// <summary>
    /// After closing only: the encrypted tally (homomorphic product of the last ballot of each credential) on the
    /// board, then the server's own partial decryption with its proofs. Trustees decrypt next, from their browsers.
    /// </summary>
    public async Task<Result<ElectionView>> TallyAsync(string id, CancellationToken ct = default)
    {
        var db = store.Open(id);
        var r = await TransitionAsync(id, [ElectionStates.Closed], ElectionStates.Tallied, "tallied", async (c, tx, _) =>
        {
            var s = await SettingsAsync(c, tx);
            var election = ElectionRecord.Parse(s["election"]);
            var weights = (await c.QueryAsync<(string Cred, long Weight)>("SELECT credential, weight FROM voters WHERE credential IS NOT NULL", transaction: tx))
                .ToDictionary(v => v.Cred, v => new BigInteger(v.Weight), StringComparer.Ordinal);
            var counted = await CountedBallotsAsync(c, tx, election, weights);
            var tally = Tallying.EncryptedTally(election, counted);
            var tallyData = DataRecord.Of(tally.ToJson());
            var total = counted.Aggregate(BigInteger.Zero, (a, b) => a + b.Weight);
            var sized = new SizedEncryptedTally(counted.Count, total, tallyData.Sha256Hex).ToJson();
            var head = await StoredBoard.HeadAsync(db, c, tx, forUpdate: true);
            var serverKey = TrusteeKeys.ParsePrivateKey(ServerShare.Unprotect(s["server_share"]), election.Group);
            var pd = DataRecord.Of(Tallying.Decrypt(election, tally, serverKey).ToJson());
            var owned = new Owned(1, pd.Sha256Hex).ToJson();
            await StoredBoard.AppendAsync(c, tx, head!,
            [
                ([tallyData, DataRecord.Of(sized)], EventType.EncryptedTally),
                ([pd, DataRecord.Of(owned)], EventType.PartialDecryption),
            ]);
            await SetAsync(c, tx, "encrypted_tally", tallyData.Content);
            await SetAsync(c, tx, "total_weight", total.ToString(CultureInfo.InvariantCulture));
            await c.ExecuteAsync("UPDATE trustees SET decrypted_at = @now, partial = @pd WHERE idx = 1", new { now = Sql.Time(time.GetUtcNow()), pd = pd.Content }, tx);
            return (object?)new { counted = counted.Count, totalWeight = total.ToString(CultureInfo.InvariantCulture) };
        }, ct, "the tally comes after closing (partial counts are impossible while voting is open)");
        return r.IsSuccess ? await GetAsync(id, ct) : r.Error!;
    }

    private static async Task<IReadOnlyList<CountedBallot>> CountedBallotsAsync(DbConnection c, DbTransaction tx, ElectionRecord election, Dictionary<string, BigInteger> weights)
    {
        // In board order; the last ballot of each credential counts (revote).
        var raws = await c.QueryAsync<string>("SELECT d.content FROM ballots b JOIN board d ON d.name = b.data_name ORDER BY b.height", transaction: tx);
        var ballots = raws.Select(raw => Ballot.Parse(raw, election.Group, checkMembership: false)).ToList();
        return Tallying.LastPerCredential(ballots, b => b.Credential.Encoded).Select(b => new CountedBallot(b, weights[b.Credential.Encoded])).ToList();
    }

    /// <summary>A trustee's partial decryption, computed in their browser; checked against their key and the tally.</summary>
    public async Task<Result<ElectionView>> AddPartialDecryptionAsync(string id, string token, string partialJson, CancellationToken ct = default)
    {
        var db = store.Open(id);
        var published = false;
        var r = await TransitionAsync(id, [ElectionStates.Tallied], null, "partial_decryption", async (c, tx, _) =>
        {
            if (await FindTrusteeAsync(c, tx, token) is not { } t)
            {
                return (object?)Error.Unauthorized("This trustee link is not valid for this election.");
            }
            if (t.Decrypted is not null)
            {
                return Error.Conflict("already_decrypted", $"trustee {t.Name} has already decrypted");
            }
            var s = await SettingsAsync(c, tx);
            var election = ElectionRecord.Parse(s["election"]);
            var tally = EncryptedTally.Parse(s["encrypted_tally"], election.Group);
            PartialDecryption pd;
            try
            {
                pd = PartialDecryption.Parse(partialJson, election.Group);
            }
            catch (RecordFormatException e)
            {
                return Error.Validation("partialDecryption", e.Message);
            }
            var key = TrusteePublicKey.Parse(t.Key!, election.Group);
            if (Tallying.CheckPartialDecryption(election, tally, key.PublicKey, pd) is { } problem)
            {
                return Error.Invalid("partial_decryption_invalid", $"partialDecryption: {problem}");
            }
            var partialData = DataRecord.Of(partialJson);
            var owned = new Owned(t.Idx, partialData.Sha256Hex).ToJson();
            var head = await StoredBoard.HeadAsync(db, c, tx, forUpdate: true);
            var events = new List<(IReadOnlyList<DataRecord>, EventType)> { ([partialData, DataRecord.Of(owned)], EventType.PartialDecryption) };
            await c.ExecuteAsync("UPDATE trustees SET decrypted_at = @now, partial = @pd WHERE idx = @i", new { now = Sql.Time(time.GetUtcNow()), i = t.Idx, pd = partialJson }, tx);
            var needed = JsonSerializer.Deserialize<ElectionDefinition>(s["definition"], JsonOptions)!.Threshold;
            var complete = needed is { } th
                ? await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM trustees WHERE is_server = 0 AND decrypted_at IS NOT NULL", transaction: tx) >= th
                : await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM trustees WHERE decrypted_at IS NULL", transaction: tx) == 0;
            if (complete)
            {
                // Enough trustees have decrypted (all of them, or t of n with the server's share): combine, and publish
                // the result with the last partial decryption.
                var trustees = TrusteesRecord.Parse(s["trustees"], election.Group);
                var partials = new Dictionary<int, PartialDecryption> { [t.Idx] = pd };
                foreach (var (owner, json) in await PartialsAsync(c, tx))
                {
                    partials[owner] = PartialDecryption.Parse(json, election.Group);
                }
                var factors = Tallying.CombineFactors(election, trustees, partials, tally);
                var result = factors.IsSuccess ? Tallying.ComputeResult(election, tally, factors.Value!, BigInteger.Parse(s["total_weight"], CultureInfo.InvariantCulture)) : default;
                if (!factors.IsSuccess || !result.IsSuccess)
                {
                    return Error.Invalid("result_failed", factors.Problem ?? result.Problem ?? "the result could not be computed");
                }
                var resultJson = result.Value!.ToJson();
                events.Add(([DataRecord.Of(resultJson)], EventType.Result));
                await SetAsync(c, tx, "result", resultJson);
                await SetAsync(c, tx, "state", ElectionStates.Published);
                await LocalJournal(db).AppendAsync(c, tx, LocalStream, "published", JsonSerializer.Serialize(new { result = resultJson }, JsonOptions), ct);
                published = true;
            }
            await StoredBoard.AppendAsync(c, tx, head!, events);
            return new { trustee = t.Idx };
        }, ct, "trustees decrypt after the tally");
        if (!r.IsSuccess)
        {
            return r.Error!;
        }
        if (published)
        {
            await SetCatalogStateAsync(id, ElectionStates.Published, "published", ct);
        }
        return await GetAsync(id, ct);
    }

    private static async Task<IEnumerable<(int Owner, string Json)>> PartialsAsync(DbConnection c, DbTransaction tx) =>
        (await c.QueryAsync<(long Idx, string Partial)>("SELECT idx, partial FROM trustees WHERE partial IS NOT NULL", transaction: tx)).Select(t => ((int)t.Idx, t.Partial));

    // ---- archive and destruction ----------------------------------------------------------------------------------

    /// <summary>The board as a Belenios archive (during the vote: as it stands; after: complete).</summary>
    public async Task<Result<byte[]>> BoardAsync(string id, CancellationToken ct = default) =>
        await NoBoardAsync(id, ct) is { } none ? none : await StoredBoard.ExportAsync(store.Open(id), ct);

    /// <summary>Why this election has no board to read (unknown, not open yet, destroyed), or null when it has one.</summary>
    private async Task<Error?> NoBoardAsync(string id, CancellationToken ct)
    {
        if (await CatalogAsync(id, ct) is not { } row)
        {
            return Error.NotFound($"Election {id}");
        }
        return row.State is ElectionStates.Draft or ElectionStates.Setup or ElectionStates.Destroyed
            ? Error.Conflict("no_board", row.State == ElectionStates.Destroyed ? "the election was destroyed; its board is in the sealed archive" : "the board is created when the election opens")
            : null;
    }

    /// <summary>
    /// Seals the archive: the complete board is verified (the same checks as <c>socle vote verify</c>), its SHA-256
    /// recorded in the catalog and both journals, and it is published on the public verification pages. The roll,
    /// sessions and server share stay until destruction.
    /// </summary>
    public async Task<Result<ElectionSummary>> ArchiveAsync(string id, CancellationToken ct = default)
    {
        _validBallots.TryRemove(id, out _);
        var bytes = await BoardAsync(id, ct);
        if (!bytes.IsSuccess)
        {
            return bytes.Error!;
        }
        var report = BoardVerifier.Verify(new MemoryStream(bytes.Value), new VerifyOptions { MaxDegreeOfParallelism = options.Value.VerifyThreads });
        if (!report.Ok)
        {
            return Error.Invalid("board_invalid", $"the board does not verify: {report.Problem}");
        }
        var sha = Hashing.Sha256Hex(bytes.Value);
        var r = await TransitionAsync(id, [ElectionStates.Published], ElectionStates.Archived, "archived", async (c, tx, _) =>
        {
            await SetAsync(c, tx, "sealed_sha256", sha);
            await SetAsync(c, tx, "archived_at", Sql.Time(time.GetUtcNow()));
            return (object?)new { sha256 = sha, bytes = bytes.Value.Length };
        }, ct, "the archive is sealed once the result is published");
        if (!r.IsSuccess)
        {
            return r.Error!;
        }
        await using (var c = await main.OpenAsync(ct))
        {
            await c.ExecuteAsync("UPDATE voting_elections SET sealed_sha256 = @sha WHERE id = @id", new { sha, id });
        }
        var published = await boards.PublishAsync(bytes.Value, report, ct);
        if (!published.IsSuccess)
        {
            return published.Error!;
        }
        return (await ListAsync(ct)).First(e => e.Id == id);
    }

    /// <summary>Destroys the election's data after the appeal period; the sealed fingerprint and the published board remain.</summary>
    public async Task<Result<ElectionSummary>> DestroyAsync(string id, CancellationToken ct = default)
    {
        _validBallots.TryRemove(id, out _);
        var view = await GetAsync(id, ct);
        if (!view.IsSuccess)
        {
            return view.Error!;
        }
        if (view.Value.State != ElectionStates.Archived)
        {
            return Error.Conflict("wrong_state", $"only an archived election can be destroyed (it is {view.Value.State})");
        }
        await using (var c = await store.Open(id).OpenAsync(ct))
        {
            var archivedAt = Sql.ParseTime((await SettingsAsync(c, null))["archived_at"]);
            var until = archivedAt.AddDays(view.Value.Definition.AppealDays);
            if (time.GetUtcNow() < until)
            {
                return Error.Conflict("appeal_period", $"the appeal period runs until {until:yyyy-MM-dd HH:mm} UTC; the data cannot be destroyed before");
            }
        }
        await store.DestroyAsync(id, ct);
        await SetCatalogStateAsync(id, ElectionStates.Destroyed, "destroyed", ct);
        return (await ListAsync(ct)).First(e => e.Id == id);
    }

    // ---- helpers -------------------------------------------------------------------------------------------------

    internal Platform.Journal.Journal LocalJournal(Database db) => new(db, time);

    internal static Group GroupOf(ElectionDefinition d) => Groups.TryGet(d.Group, out var g) ? g : throw new InvalidOperationException($"unknown group {d.Group}");

    internal static async Task<Dictionary<string, string>> SettingsAsync(DbConnection c, DbTransaction? tx) =>
        (await c.QueryAsync<(string K, string V)>("SELECT k, v FROM election_settings", transaction: tx)).ToDictionary(r => r.K, r => r.V, StringComparer.Ordinal);

    internal static async Task<ElectionDefinition> DefinitionAsync(DbConnection c, DbTransaction tx) =>
        JsonSerializer.Deserialize<ElectionDefinition>(await c.QuerySingleAsync<string>("SELECT v FROM election_settings WHERE k = 'definition'", transaction: tx), JsonOptions)!;

    private static Task SetAsync(DbConnection c, DbTransaction tx, string k, string v) =>
        c.ExecuteAsync("DELETE FROM election_settings WHERE k = @k; INSERT INTO election_settings (k, v) VALUES (@k, @v)", new { k, v }, tx);

    /// <summary>
    /// Runs one step in the election's database: checks the state (read with the row locked), runs
    /// <paramref name="work"/> (which may return an <see cref="Platform.Error"/> to refuse), moves to <paramref name="to"/> and
    /// journals the step with what <paramref name="work"/> returned — all in one transaction. The catalog follows.
    /// </summary>
    private async Task<Result<object?>> TransitionAsync(string id, string[] from, string? to, string step,
        Func<DbConnection, DbTransaction, string, Task<object?>> work, CancellationToken ct, string? wrongState = null)
    {
        if (await CatalogAsync(id, ct) is not { } row || row.State == ElectionStates.Destroyed)
        {
            return Error.NotFound($"Election {id}");
        }
        var db = store.Open(id);
        Result<object?> result;
        try
        {
            result = await db.InTransactionAsync<Result<object?>>(async (c, tx) =>
        {
            var state = await c.QuerySingleAsync<string>("SELECT v FROM election_settings WHERE k = 'state'" + db.ForUpdate(), transaction: tx);
            if (!from.Contains(state))
            {
                return Error.Conflict("wrong_state", $"{wrongState ?? "not possible now"} (the election is {state})");
            }
            var value = await work(c, tx, state);
            if (value is Error e)
            {
                throw new RefusedException(e);
            }
            if (to is not null)
            {
                await SetAsync(c, tx, "state", to);
            }
            await LocalJournal(db).AppendAsync(c, tx, LocalStream, step, JsonSerializer.Serialize(value ?? new { }, JsonOptions), ct);
            return Result<object?>.Ok(value);
        }, ct);
        }
        catch (RefusedException refused)
        {
            return refused.Error;
        }
        if (result.IsSuccess && to is not null)
        {
            await SetCatalogStateAsync(id, to, step, ct);
        }
        return result;
    }

    private Task SetCatalogStateAsync(string id, string state, string step, CancellationToken ct) =>
        main.InTransactionAsync(async (c, tx) =>
        {
            await c.ExecuteAsync("UPDATE voting_elections SET state = @state, updated_at = @now WHERE id = @id", new { state, id, now = Sql.Time(time.GetUtcNow()) }, tx);
            await mainJournal.AppendAsync(c, tx, CatalogStream, step, JsonSerializer.Serialize(new { id, state }, JsonOptions), ct);
            Log.ElectionState(log, id, state);
        }, ct);

    /// <summary>Rolls a step back: its transaction ends without commit and the caller gets the error.</summary>
    private sealed class RefusedException(Error error) : Exception(error.Message)
    {
        public Error Error { get; } = error;
    }
}
