using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dapper;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Socle.Modules.Batteries.Parties;
using Socle.Modules.Batteries.Signing;
using Socle.Platform;
using Socle.Platform.Storage;

namespace Socle.Modules.Batteries.Passports;

/// <summary>How a passport comes to the registry.</summary>
public enum CreateMode
{
    /// <summary>Typed in or uploaded by its operator: content must be plausible, the battery id a GS1 identifier.</summary>
    Create,

    /// <summary>Imported from another system (Battery Pass 1.2, Catena-X): the published schema is the contract; implausible
    /// values and non-GS1 battery ids are reported as warnings; the passport identifier and status may be given.</summary>
    Import,
}

/// <summary>A client's idempotency key for one write, with the hash of the request it came with.</summary>
public sealed record IdempotencyKey(string PartyId, string Key, string RequestHash);

/// <summary>What a status change did: the passport's new head, and the new passport when the battery was repurposed or remanufactured.</summary>
public sealed record StatusChangeRecord(PassportRecord Passport, PassportRecord? Successor);

/// <summary>
/// The passport registry: creates passports, records every change as a new immutable version (signed by whoever made it,
/// hashed into the platform journal), appends dynamic data, moves the status forward, verifies the record.
/// Writes to one passport are serialised (row lock on PostgreSQL, the write lock on SQLite) and optionally idempotent.
/// </summary>
public sealed partial class PassportRegistry(
    Database db,
    Platform.Journal.Journal journal,
    SigningKeys keys,
    PartyStore parties,
    IOptions<BatteriesOptions> options,
    TimeProvider time,
    PassportHeadCache heads,
    ILogger<PassportRegistry> logger)
{
    public const string JournalType = "battery.passport.version";

    public static string StreamOf(string passportId) => $"batteries/passport/{passportId}";

    private string UrnNamespace => options.Value.PassportUrnNamespace;

    private sealed class AbortException(Error error) : Exception(error.Message)
    {
        public Error Error { get; } = error;
    }

    // ---- create --------------------------------------------------------------------------------------------------

    public async Task<Result<PassportRecord>> CreateAsync(Party actor, JsonObject content, CreateMode mode, IdempotencyKey? idem, CancellationToken ct)
    {
        if (actor.Role != PartyRole.Operator)
        {
            return Error.Forbidden("Only an economic operator creates passports.");
        }
        var prepared = Prepare(actor, (JsonObject)content.DeepClone(), mode, generatedId: null);
        if (!prepared.IsSuccess)
        {
            return prepared.Error;
        }
        var (element, warnings) = prepared.Value;
        var key = await keys.CurrentAsync(actor.Id, ct);
        return await WriteAsync(idem, async (c, tx) =>
        {
            var record = await InsertNewAsync(c, tx, actor, key, element, mode == CreateMode.Import ? "imported" : "created", predecessor: null, ct);
            return record with { Warnings = warnings };
        }, ct);
    }

    /// <summary>Normalises and checks a new passport's content: identifier, status, operator, schema, plausibility.</summary>
    internal Result<(JsonElement Content, IReadOnlyList<ContentProblem> Warnings)> Prepare(Party actor, JsonObject content, CreateMode mode, string? generatedId)
    {
        var checks = new Checks();
        if (content[PassportContent.General] is not JsonObject general)
        {
            return Error.Validation("$.generalProductInformation", "is required: it identifies the battery");
        }
        var givenId = general["batteryPassportIdentifier"] is JsonValue idValue && idValue.GetValueKind() == JsonValueKind.String ? idValue.GetValue<string>() : null;
        if (mode == CreateMode.Create || givenId is null)
        {
            general["batteryPassportIdentifier"] = generatedId ?? PassportIds.New(UrnNamespace);
        }
        else if (!PassportIds.IsValid(givenId))
        {
            checks.Add("$.generalProductInformation.batteryPassportIdentifier", "must be a URN urn:<namespace>:<lowercase letters and digits> of at most 200 characters");
        }
        var status = general["batteryStatus"] is JsonValue s && s.GetValueKind() == JsonValueKind.String ? s.GetValue<string>() : null;
        if (mode == CreateMode.Create)
        {
            if (status is not null && status != nameof(BatteryStatus.Original))
            {
                checks.Add("$.generalProductInformation.batteryStatus", "a new passport starts Original; later statuses come from status changes");
            }
            general["batteryStatus"] = nameof(BatteryStatus.Original);
        }
        else if (status is null)
        {
            general["batteryStatus"] = nameof(BatteryStatus.Original);
        }
        if (general["operatorInformation"] is null)
        {
            general["operatorInformation"] = OperatorInformation(actor);
        }

        var element = PassportContent.ToElement(content);
        foreach (var p in PassportContent.SchemaProblems(element))
        {
            checks.Add(p.Path, p.Message);
        }
        var warnings = new List<ContentProblem>();
        var batteryId = PassportContent.BatteryId(element);
        if (string.IsNullOrWhiteSpace(batteryId))
        {
            checks.Add("$.generalProductInformation.productIdentifier", "is required: the battery's unique identifier (ISO/IEC 15459)");
        }
        else if (batteryId.Length > BatteryIds.MaxLength)
        {
            checks.Add("$.generalProductInformation.productIdentifier", $"is longer than {BatteryIds.MaxLength} characters");
        }
        else if (BatteryIds.Problem(batteryId) is { } idProblem)
        {
            if (mode == CreateMode.Create)
            {
                checks.Add("$.generalProductInformation.productIdentifier", idProblem);
            }
            else
            {
                warnings.Add(new("$.generalProductInformation.productIdentifier", "is not a GS1 identifier (01)<GTIN>(21)<serial>; the battery cannot be resolved by GS1 Digital Link"));
            }
        }
        if (PassportContent.Category(element) is null)
        {
            checks.Add("$.generalProductInformation.batteryCategory", $"is required: one of {string.Join(", ", PassportContent.Categories)}");
        }
        foreach (var p in PassportContent.Implausible(element, time.GetUtcNow()))
        {
            if (mode == CreateMode.Create)
            {
                checks.Add(p.Path, p.Message);
            }
            else
            {
                warnings.Add(p);
            }
        }
        if (checks.Failed)
        {
            return checks.ToError();
        }
        return (element, warnings);
    }

    internal static JsonObject OperatorInformation(Party party)
    {
        var info = new JsonObject
        {
            ["contactName"] = party.Profile.ContactName ?? party.Name,
            ["postalAddress"] = new JsonObject
            {
                ["addressCountry"] = party.Profile.Country ?? "",
                ["postalCode"] = party.Profile.PostalCode ?? "",
                ["streetAddress"] = party.Profile.StreetAddress ?? "",
            },
            ["identifier"] = party.Profile.Identifier ?? party.Id,
        };
        if (party.Profile.Email is { } email)
        {
            info["emailAddress"] = email;
        }
        if (party.Profile.WebAddress is { } web)
        {
            info["webAddress"] = web;
        }
        return info;
    }

    private async Task<PassportRecord> InsertNewAsync(DbConnection c, DbTransaction tx, Party actor, SigningKey key, JsonElement content, string change, string? predecessor, CancellationToken ct)
    {
        var id = PassportContent.Text(content, "generalProductInformation.batteryPassportIdentifier")!;
        var batteryId = PassportContent.BatteryId(content)!;
        var status = StatusTransitions.TryParseStatus(PassportContent.StatusText(content), out var st) ? st : BatteryStatus.Original;
        var now = Sql.TruncateToMicroseconds(time.GetUtcNow());
        var exists = await c.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM battery_passports WHERE id = @id", new { id }, tx, cancellationToken: ct));
        if (exists > 0)
        {
            throw new AbortException(Error.Conflict("passport_exists", $"Passport {id} already exists."));
        }
        var active = await c.QuerySingleOrDefaultAsync<string>(new CommandDefinition(
            "SELECT id FROM battery_passports WHERE battery_id = @batteryId AND lifecycle = 'active'", new { batteryId }, tx, cancellationToken: ct));
        if (active is not null)
        {
            throw new AbortException(Error.Conflict("battery_has_passport", $"Battery {batteryId} already has an active passport ({active})."));
        }
        var uuid = PassportIds.UuidOf(id) ?? PassportIds.NewUuid();
        var doc = new PassportVersion(id, 1, null, now, change, status, PassportLifecycle.Active, actor.Id, actor.Id, batteryId,
            PassportContent.Category(content)!, predecessor, null, PassportIds.NewSalt(), content);
        var bytes = doc.ToUtf8();
        var hash = PassportVersion.Hash(bytes);
        var head = new PassportHead(id, uuid, batteryId, actor.Id, doc.Category, PassportContent.Chemistry(content), status, PassportLifecycle.Active,
            1, hash, predecessor, null, ManufacturedAt(content), now, now);
        await c.ExecuteAsync(new CommandDefinition(
            "INSERT INTO battery_passports (id, uuid, battery_id, operator_id, category, chemistry, status, lifecycle, current_version, current_hash, predecessor_id, successor_id, manufactured_at, created_at, updated_at) " +
            "VALUES (@Id, @uuid, @BatteryId, @OperatorId, @Category, @Chemistry, @status, 'active', 1, @CurrentHash, @PredecessorId, NULL, @ManufacturedAt, @at, @at)",
            new { head.Id, uuid = uuid.ToString("D"), head.BatteryId, head.OperatorId, head.Category, head.Chemistry, status = status.ToString(), head.CurrentHash, head.PredecessorId, head.ManufacturedAt, at = Sql.Time(now) },
            tx, cancellationToken: ct));
        var version = await RecordVersionAsync(c, tx, doc, bytes, hash, key, ct);
        Log.VersionRecorded(logger, id, 1, change);
        return new PassportRecord(head, version, []);
    }

    private static string? ManufacturedAt(JsonElement content) =>
        PassportContent.Text(content, "generalProductInformation.manufacturingDate") is { } s
        && DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? Sql.Time(at) : null;

    /// <summary>Signs a version document, journals its hash and stores it, in the caller's transaction.</summary>
    private async Task<VersionInfo> RecordVersionAsync(DbConnection c, DbTransaction tx, PassportVersion doc, byte[] bytes, string hash, SigningKey key, CancellationToken ct)
    {
        var signature = key.SignDetached(bytes);
        var stream = StreamOf(doc.Passport);
        var payload = JsonSerializer.Serialize(new JournalPayload(doc.Passport, doc.Version, hash, doc.Previous, key.KeyId, doc.Change), PartyStore.Json);
        var e = await journal.AppendAsync(c, tx, stream, JournalType, payload, ct);
        var info = new VersionInfo(doc.Version, doc.RecordedAt, doc.Change, doc.Status, doc.SignedBy, hash, key.KeyId, stream, e.Height, e.Hash);
        await c.ExecuteAsync(new CommandDefinition(
            "INSERT INTO battery_passport_versions (passport_id, version, recorded_at, change, status, signed_by, document, hash, signature, key_id, journal_stream, journal_height, journal_hash) " +
            "VALUES (@passport, @Version, @at, @Change, @status, @SignedBy, @document, @Hash, @signature, @KeyId, @JournalStream, @JournalHeight, @JournalHash)",
            new
            {
                passport = doc.Passport, info.Version, at = Sql.Time(doc.RecordedAt), info.Change, status = doc.Status.ToString(), info.SignedBy,
                document = System.Text.Encoding.UTF8.GetString(bytes), info.Hash, signature, info.KeyId, info.JournalStream, info.JournalHeight, info.JournalHash,
            }, tx, cancellationToken: ct));
        return info;
    }

    /// <summary>What the journal records of a version: its hash, never its content.</summary>
    internal sealed record JournalPayload(string Passport, int Version, string Hash, string? Previous, string KeyId, string Change);

    // ---- new versions of an existing passport ---------------------------------------------------------------------

    /// <summary>Replaces the content (sections given replace the stored ones; <c>null</c> removes a section).</summary>
    public Task<Result<PassportRecord>> UpdateAsync(Party actor, string id, JsonObject sections, int? expectedVersion, IdempotencyKey? idem, CancellationToken ct) =>
        ChangeAsync(actor, id, expectedVersion, idem, "updated", (current, head) =>
        {
            var content = JsonNode.Parse(current.GetRawText())!.AsObject();
            foreach (var (name, value) in sections)
            {
                if (value is null)
                {
                    content.Remove(name);
                }
                else
                {
                    content[name] = value.DeepClone();
                }
            }
            var checks = new Checks();
            var general = content[PassportContent.General] as JsonObject;
            if (general is null)
            {
                return Error.Validation("$.generalProductInformation", "cannot be removed: it identifies the battery");
            }
            CheckSame(checks, general, "batteryPassportIdentifier", head.Id, "is the passport's identifier and cannot change");
            CheckSame(checks, general, "productIdentifier", head.BatteryId, "is the battery's identifier and cannot change; a repurposed or remanufactured battery gets a new passport");
            CheckSame(checks, general, "batteryStatus", head.Status.ToString(), "changes only through a status change (reuse, repurpose, remanufacture, discard, recycle)");
            var element = PassportContent.ToElement(content);
            foreach (var p in PassportContent.SchemaProblems(element).Concat(PassportContent.Implausible(element, time.GetUtcNow())))
            {
                checks.Add(p.Path, p.Message);
            }
            if (PassportContent.Category(element) is null)
            {
                checks.Add("$.generalProductInformation.batteryCategory", "is required");
            }
            return checks.Failed ? checks.ToError() : Result<JsonElement>.Ok(element);
        }, ct);

    private static void CheckSame(Checks checks, JsonObject general, string name, string expected, string reason)
    {
        var value = general[name] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;
        if (value is null)
        {
            general[name] = expected;
        }
        else if (value != expected)
        {
            checks.Add($"$.generalProductInformation.{name}", $"{reason} (is {expected})");
        }
    }

    /// <summary>Appends measurements: a new version with the latest condition values and the derived DIN parameters.</summary>
    public async Task<Result<PassportRecord>> AppendDynamicAsync(Party actor, string id, DynamicReading reading, IdempotencyKey? idem, CancellationToken ct)
    {
        var result = await ChangeAsync(actor, id, null, idem, "dynamic", (current, _) =>
        {
            if (reading.Check(time.GetUtcNow(), current) is { } error)
            {
                return error;
            }
            var content = JsonNode.Parse(current.GetRawText())!.AsObject();
            reading.ApplyTo(content, current);
            var element = PassportContent.ToElement(content);
            var problems = PassportContent.SchemaProblems(element).Concat(PassportContent.Implausible(element, time.GetUtcNow())).ToList();
            if (problems.Count > 0)
            {
                var checks = new Checks();
                foreach (var p in problems)
                {
                    checks.Add(p.Path, p.Message);
                }
                return checks.ToError();
            }
            return element;
        }, ct, afterWrite: async (c, tx, version) =>
        {
            var seq = await c.ExecuteScalarAsync<long>(new CommandDefinition(
                "SELECT CAST(COALESCE(MAX(seq), 0) AS BIGINT) FROM battery_dynamic_readings WHERE passport_id = @id", new { id }, tx, cancellationToken: ct));
            foreach (var (attribute, value) in reading.Values())
            {
                seq++;
                await c.ExecuteAsync(new CommandDefinition(
                    "INSERT INTO battery_dynamic_readings (passport_id, seq, measured_at, attribute, value, version) VALUES (@id, @seq, @at, @attribute, @value, @version)",
                    new { id, seq, at = Sql.Time(reading.MeasuredAt), attribute, value, version }, tx, cancellationToken: ct));
            }
        });
        return result;
    }

    private Task<Result<PassportRecord>> ChangeAsync(
        Party actor, string id, int? expectedVersion, IdempotencyKey? idem, string change,
        Func<JsonElement, PassportHead, Result<JsonElement>> edit, CancellationToken ct,
        Func<DbConnection, DbTransaction, int, Task>? afterWrite = null)
    {
        return WriteAsync(idem, async (c, tx) =>
        {
            var (head, current) = await LockAsync(c, tx, id, ct);
            if (head.OperatorId != actor.Id || actor.Role != PartyRole.Operator)
            {
                throw new AbortException(Error.Forbidden($"Only the passport's operator changes passport {id}."));
            }
            if (head.Lifecycle != PassportLifecycle.Active)
            {
                throw new AbortException(Error.Conflict("passport_closed", $"Passport {id} is {head.Lifecycle.ToString().ToLowerInvariant()} and takes no change."));
            }
            if (expectedVersion is { } expected && expected != head.CurrentVersion)
            {
                throw new AbortException(Error.Conflict("version_conflict", $"Passport {id} is at version {head.CurrentVersion}, not {expected}: read it again and retry."));
            }
            var edited = edit(current.Content, head);
            if (!edited.IsSuccess)
            {
                throw new AbortException(edited.Error);
            }
            var key = await keys.CurrentAsync(actor.Id, ct);
            var record = await AppendVersionAsync(c, tx, head, current, edited.Value, change, head.Status, head.Lifecycle, actor, key, successor: null, ct);
            if (afterWrite is not null)
            {
                await afterWrite(c, tx, record.Version.Version);
            }
            return record;
        }, ct);
    }

    private async Task<PassportRecord> AppendVersionAsync(
        DbConnection c, DbTransaction tx, PassportHead head, PassportVersion current, JsonElement content, string change,
        BatteryStatus status, PassportLifecycle lifecycle, Party signer, SigningKey key, string? successor, CancellationToken ct)
    {
        var now = Sql.TruncateToMicroseconds(time.GetUtcNow());
        if (now <= current.RecordedAt)
        {
            now = current.RecordedAt.AddTicks(10); // versions are strictly ordered in time, even within one microsecond
        }
        var doc = new PassportVersion(head.Id, head.CurrentVersion + 1, head.CurrentHash, now, change, status, lifecycle, head.OperatorId, signer.Id,
            head.BatteryId, PassportContent.Category(content) ?? head.Category, head.PredecessorId, successor ?? head.SuccessorId, PassportIds.NewSalt(), content);
        var bytes = doc.ToUtf8();
        var hash = PassportVersion.Hash(bytes);
        var updated = await c.ExecuteAsync(new CommandDefinition(
            "UPDATE battery_passports SET status = @status, lifecycle = @lifecycle, current_version = @Version, current_hash = @hash, successor_id = @Successor, " +
            "category = @Category, chemistry = @chemistry, manufactured_at = @manufactured, updated_at = @at WHERE id = @Passport AND current_version = @previous",
            new
            {
                status = status.ToString(), lifecycle = lifecycle.ToString().ToLowerInvariant(), doc.Version, hash, doc.Successor, doc.Category,
                chemistry = PassportContent.Chemistry(content), manufactured = ManufacturedAt(content), at = Sql.Time(now), doc.Passport, previous = head.CurrentVersion,
            }, tx, cancellationToken: ct));
        if (updated != 1)
        {
            throw new AbortException(Error.Conflict("version_conflict", $"Passport {head.Id} changed meanwhile; retry."));
        }
        heads.Invalidate(head.Id);
        var version = await RecordVersionAsync(c, tx, doc, bytes, hash, key, ct);
        Log.VersionRecorded(logger, head.Id, doc.Version, change);
        var newHead = head with
        {
            Status = status, Lifecycle = lifecycle, CurrentVersion = doc.Version, CurrentHash = hash, SuccessorId = doc.Successor,
            Category = doc.Category, Chemistry = PassportContent.Chemistry(content), ManufacturedAt = ManufacturedAt(content), UpdatedAt = now,
        };
        return new PassportRecord(newHead, version, []);
    }

    // ---- status -----------------------------------------------------------------------------------------------------

    /// <summary>
    /// Moves the battery's status forward. Re-use and discard keep the passport; recycling ends it; repurposing and
    /// remanufacturing hand the battery to the acting operator under a new passport linked to this one, and close this one.
    /// Who may: the passport's operator for all; a person with a legitimate interest for re-use (repair) and discard, and
    /// a recycler for recycling; any economic operator for repurposing and remanufacturing (it becomes the new operator).
    /// </summary>
    public async Task<Result<StatusChangeRecord>> ChangeStatusAsync(Party actor, string id, StatusChange change, string? newBatteryId, IdempotencyKey? idem, CancellationToken ct)
    {
        if (newBatteryId is not null && !StatusTransitions.CreatesNewPassport(change))
        {
            return Error.Validation("newBatteryId", "only a repurposed or remanufactured battery may get a new identifier");
        }
        if (newBatteryId is not null && BatteryIds.Problem(newBatteryId) is { } problem)
        {
            return Error.Validation("newBatteryId", problem);
        }
        return await WriteAsync(idem, async (c, tx) =>
        {
            var (head, current) = await LockAsync(c, tx, id, ct);
            if (!MayChange(actor, head, change))
            {
                throw new AbortException(Error.Forbidden($"A {Party.RoleCode(actor.Role)} cannot record that battery {head.BatteryId} was {StatusTransitions.Verb(change)}."));
            }
            if (StatusTransitions.Refusal(head.Status, head.Lifecycle, change) is { } refusal)
            {
                throw new AbortException(Error.Conflict("invalid_transition", $"Passport {id} ({head.Status}): {refusal}."));
            }
            var key = await keys.CurrentAsync(actor.Id, ct);
            if (change == StatusChange.Recycle)
            {
                var ended = await AppendVersionAsync(c, tx, head, current, current.Content, "recycled", head.Status, PassportLifecycle.Ended, actor, key, null, ct);
                Log.StatusChanged(logger, id, head.Status.ToString(), "recycled");
                return new StatusChangeRecord(ended, null);
            }
            var target = StatusTransitions.Target(change)!.Value;
            var content = JsonNode.Parse(current.Content.GetRawText())!.AsObject();
            PassportContent.Set(content, "generalProductInformation.batteryStatus", target.ToString());
            if (!StatusTransitions.CreatesNewPassport(change))
            {
                var same = await AppendVersionAsync(c, tx, head, current, PassportContent.ToElement(content), $"status:{target.ToString().ToLowerInvariant()}", target, PassportLifecycle.Active, actor, key, null, ct);
                Log.StatusChanged(logger, id, head.Status.ToString(), target.ToString());
                return new StatusChangeRecord(same, null);
            }

            // the old passport is superseded first (one active passport per battery), then the new one is written
            var successorId = PassportIds.New(UrnNamespace);
            var closed = await AppendVersionAsync(c, tx, head, current, current.Content, "superseded", target, PassportLifecycle.Superseded, actor, key, successorId, ct);
            PassportContent.Set(content, "generalProductInformation.batteryPassportIdentifier", successorId);
            PassportContent.Set(content, "generalProductInformation.operatorInformation", OperatorInformation(actor));
            if (newBatteryId is not null)
            {
                PassportContent.Set(content, "generalProductInformation.productIdentifier", newBatteryId);
            }
            var successor = await InsertNewAsync(c, tx, actor, key, PassportContent.ToElement(content), target == BatteryStatus.Repurposed ? "repurposed" : "remanufactured", id, ct);
            Log.StatusChanged(logger, id, head.Status.ToString(), target.ToString());
            return new StatusChangeRecord(closed, successor);
        }, ct);
    }

    private static bool MayChange(Party actor, PassportHead head, StatusChange change) => change switch
    {
        StatusChange.Repurpose or StatusChange.Remanufacture => actor.Role == PartyRole.Operator,
        StatusChange.Reuse or StatusChange.Discard => (actor.Role == PartyRole.Operator && actor.Id == head.OperatorId) || actor.Role == PartyRole.LegitimateInterest,
        StatusChange.Recycle => (actor.Role == PartyRole.Operator && actor.Id == head.OperatorId) || actor.IsRecycler,
        _ => false,
    };

    /// <summary>Whether <paramref name="signerId"/> may have signed a version recording <paramref name="change"/> (checked again by verification).</summary>
    internal static bool SignerAllowed(string change, string signerId, PartyRole signerRole, bool signerIsRecycler, string operatorId) => change switch
    {
        "created" or "imported" or "updated" or "dynamic" or "repurposed" or "remanufactured" => signerId == operatorId && signerRole == PartyRole.Operator,
        "status:reused" or "status:waste" => signerId == operatorId || signerRole == PartyRole.LegitimateInterest,
        "recycled" => signerId == operatorId || signerIsRecycler,
        "superseded" => signerRole == PartyRole.Operator,
        _ => false,
    };

    // ---- reads ------------------------------------------------------------------------------------------------------

    private const string HeadColumns =
        "id, uuid, battery_id AS BatteryId, operator_id AS OperatorId, category, chemistry, status, lifecycle, CAST(current_version AS BIGINT) AS CurrentVersion, " +
        "current_hash AS CurrentHash, predecessor_id AS PredecessorId, successor_id AS SuccessorId, manufactured_at AS ManufacturedAt, created_at AS CreatedAt, updated_at AS UpdatedAt";

    internal sealed record HeadRow(string Id, string Uuid, string BatteryId, string OperatorId, string Category, string? Chemistry, string Status, string Lifecycle,
        long CurrentVersion, string CurrentHash, string? PredecessorId, string? SuccessorId, string? ManufacturedAt, string CreatedAt, string UpdatedAt)
    {
        public PassportHead ToHead() => new(Id, Guid.Parse(Uuid), BatteryId, OperatorId, Category, Chemistry, Enum.Parse<BatteryStatus>(Status),
            Enum.Parse<PassportLifecycle>(Lifecycle, ignoreCase: true), checked((int)CurrentVersion), CurrentHash, PredecessorId, SuccessorId, ManufacturedAt,
            Sql.ParseTime(CreatedAt), Sql.ParseTime(UpdatedAt));
    }

    private async Task<(PassportHead Head, PassportVersion Current)> LockAsync(DbConnection c, DbTransaction tx, string id, CancellationToken ct)
    {
        var row = await c.QuerySingleOrDefaultAsync<HeadRow>(new CommandDefinition(
            $"SELECT {HeadColumns} FROM battery_passports WHERE id = @id{db.ForUpdate()}", new { id }, tx, cancellationToken: ct))
            ?? throw new AbortException(Error.NotFound($"Passport {id}"));
        var head = row.ToHead();
        var document = await c.QuerySingleAsync<string>(new CommandDefinition(
            "SELECT document FROM battery_passport_versions WHERE passport_id = @id AND version = @v", new { id, v = head.CurrentVersion }, tx, cancellationToken: ct));
        return (head, PassportVersion.Parse(document));
    }

    public async Task<PassportHead?> HeadAsync(string id, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        var row = await c.QuerySingleOrDefaultAsync<HeadRow>(new CommandDefinition(
            $"SELECT {HeadColumns} FROM battery_passports WHERE id = @id", new { id }, cancellationToken: ct));
        return row?.ToHead();
    }

    /// <summary>The passport's head and a version's document (the current one unless <paramref name="version"/> is given).</summary>
    public async Task<(PassportHead Head, PassportVersion Document)?> ReadAsync(string id, int? version, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        var row = await c.QuerySingleOrDefaultAsync<HeadRow>(new CommandDefinition(
            $"SELECT {HeadColumns} FROM battery_passports WHERE id = @id", new { id }, cancellationToken: ct));
        if (row is null)
        {
            return null;
        }
        var head = row.ToHead();
        var document = await c.QuerySingleOrDefaultAsync<string>(new CommandDefinition(
            "SELECT document FROM battery_passport_versions WHERE passport_id = @id AND version = @v", new { id, v = version ?? head.CurrentVersion }, cancellationToken: ct));
        return document is null ? null : (head, PassportVersion.Parse(document));
    }

    /// <summary>The current document's text and the head, in one query: the resolver's hot path.</summary>
    internal async Task<(HeadRow Head, string Document)?> ReadCurrentRawAsync(string id, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        var rows = await c.QueryAsync<HeadRow, string, (HeadRow, string)>(new CommandDefinition(
            "SELECT p.id, p.uuid, p.battery_id AS BatteryId, p.operator_id AS OperatorId, p.category, p.chemistry, p.status, p.lifecycle, CAST(p.current_version AS BIGINT) AS CurrentVersion, " +
            "p.current_hash AS CurrentHash, p.predecessor_id AS PredecessorId, p.successor_id AS SuccessorId, p.manufactured_at AS ManufacturedAt, p.created_at AS CreatedAt, " +
            "p.updated_at AS UpdatedAt, v.document FROM battery_passports p JOIN battery_passport_versions v ON v.passport_id = p.id AND v.version = p.current_version WHERE p.id = @id",
            new { id }, cancellationToken: ct), (h, d) => (h, d), splitOn: "document");
        return rows.FirstOrDefault() is { Item1: not null } hit ? hit : null;
    }

    /// <summary>The active passport of a battery (GS1 Digital Link resolution), or null.</summary>
    public async Task<string?> ActivePassportOfAsync(string batteryId, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.QuerySingleOrDefaultAsync<string>(new CommandDefinition(
            "SELECT id FROM battery_passports WHERE battery_id = @batteryId AND lifecycle = 'active'", new { batteryId }, cancellationToken: ct));
    }

    public async Task<IReadOnlyList<VersionInfo>> VersionsAsync(string id, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        var rows = await c.QueryAsync<VersionRow>(new CommandDefinition(
            "SELECT CAST(version AS BIGINT) AS version, recorded_at AS RecordedAt, change, status, signed_by AS SignedBy, hash, key_id AS KeyId, journal_stream AS JournalStream, " +
            "journal_height AS JournalHeight, journal_hash AS JournalHash FROM battery_passport_versions WHERE passport_id = @id ORDER BY version",
            new { id }, cancellationToken: ct));
        return rows.Select(r => r.ToInfo()).ToList();
    }

    internal sealed record VersionRow(long Version, string RecordedAt, string Change, string Status, string SignedBy, string Hash, string KeyId, string JournalStream, long JournalHeight, string JournalHash)
    {
        public VersionInfo ToInfo() => new(checked((int)Version), Sql.ParseTime(RecordedAt), Change, Enum.Parse<BatteryStatus>(Status), SignedBy, Hash, KeyId, JournalStream, JournalHeight, JournalHash);
    }

    /// <summary>The measurements appended to a passport, oldest first.</summary>
    public async Task<IReadOnlyList<StoredReading>> ReadingsAsync(string id, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        var rows = await c.QueryAsync<(long Seq, string MeasuredAt, string Attribute, string Value, long Version)>(new CommandDefinition(
            "SELECT CAST(seq AS BIGINT), measured_at, attribute, value, CAST(version AS BIGINT) FROM battery_dynamic_readings WHERE passport_id = @id ORDER BY seq", new { id }, cancellationToken: ct));
        return rows.Select(r => new StoredReading(r.Seq, Sql.ParseTime(r.MeasuredAt), r.Attribute, r.Value, checked((int)r.Version))).ToList();
    }

    // ---- idempotent transactions -------------------------------------------------------------------------------------

    private async Task<Result<T>> WriteAsync<T>(IdempotencyKey? idem, Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken ct)
    {
        try
        {
            return await db.InTransactionAsync<Result<T>>(async (c, tx) =>
            {
                if (idem is not null)
                {
                    var claimed = await c.ExecuteAsync(new CommandDefinition(
                        "INSERT INTO battery_idempotency (party_id, idem_key, request_hash, status_code, response, created_at) VALUES (@PartyId, @Key, @RequestHash, 0, '', @at) " +
                        "ON CONFLICT (party_id, idem_key) DO NOTHING",
                        new { idem.PartyId, idem.Key, idem.RequestHash, at = Sql.Time(time.GetUtcNow()) }, tx, cancellationToken: ct));
                    if (claimed == 0)
                    {
                        var stored = await c.QuerySingleAsync<(string RequestHash, string Response)>(new CommandDefinition(
                            "SELECT request_hash, response FROM battery_idempotency WHERE party_id = @PartyId AND idem_key = @Key", idem, tx, cancellationToken: ct));
                        if (stored.RequestHash != idem.RequestHash)
                        {
                            throw new AbortException(Error.Conflict("idempotency_key_reused", $"Idempotency-Key '{idem.Key}' was already used for a different request."));
                        }
                        return JsonSerializer.Deserialize<T>(stored.Response, PartyStore.Json)!;
                    }
                }
                var result = await work(c, tx);
                if (idem is not null)
                {
                    await c.ExecuteAsync(new CommandDefinition(
                        "UPDATE battery_idempotency SET status_code = 200, response = @response WHERE party_id = @PartyId AND idem_key = @Key",
                        new { response = JsonSerializer.Serialize(result, PartyStore.Json), idem.PartyId, idem.Key }, tx, cancellationToken: ct));
                }
                return result;
            }, ct);
        }
        catch (AbortException abort)
        {
            return abort.Error;
        }
        catch (DbException e) when (IsUniqueViolation(e))
        {
            if (idem is not null)
            {
                // a concurrent request with the same key won the race: answer what it answered
                await using var c = await db.OpenAsync(ct);
                var stored = await c.QuerySingleOrDefaultAsync<(string RequestHash, string Response)>(new CommandDefinition(
                    "SELECT request_hash, response FROM battery_idempotency WHERE party_id = @PartyId AND idem_key = @Key", idem, cancellationToken: ct));
                if (stored.Response is { Length: > 0 } && stored.RequestHash == idem.RequestHash)
                {
                    return JsonSerializer.Deserialize<T>(stored.Response, PartyStore.Json)!;
                }
            }
            return Error.Conflict("conflict", "A concurrent change to the same passport or battery was recorded first; read it again and retry.");
        }
    }

    internal static bool IsUniqueViolation(DbException e) =>
        e is Npgsql.PostgresException { SqlState: "23505" } or Microsoft.Data.Sqlite.SqliteException { SqliteExtendedErrorCode: 2067 or 1555 };
}

public sealed record StoredReading(long Seq, DateTimeOffset MeasuredAt, string Attribute, string Value, int Version);
