using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using Socle.Modules.Batteries.Access;
using Socle.Modules.Batteries.Circularity;
using Socle.Modules.Batteries.Footprint;
using Socle.Modules.Batteries.Interop;
using Socle.Modules.Batteries.Parties;
using Socle.Modules.Batteries.Passports;
using Socle.Modules.Batteries.Schemas;
using Socle.Modules.Batteries.Signing;
using Socle.Modules.Batteries.ValueChain;
using Socle.Platform;

namespace Socle.Modules.Batteries.Web;

public sealed record CreatePassportRequest(JsonObject Content);

public sealed record UpdatePassportRequest(JsonObject Sections, int? ExpectedVersion);

public sealed record StatusChangeRequest(string Change, string? NewBatteryId);

/// <summary>An import: <c>format</c> "batterypass-1.2" with <c>documents</c> (sub-model name → document), or "catenax-6.1" with <c>document</c>.</summary>
public sealed record ImportRequest(string Format, JsonObject? Documents, JsonObject? Document);

public sealed record ImportResponse(PassportRecord Passport, IReadOnlyList<string> Notes);

public sealed record ValidationResponse(string Schema, bool Valid, IReadOnlyList<SchemaError> Errors);

public sealed record ExportedDocument(string Name, string Schema, bool Valid, IReadOnlyList<SchemaError> Errors, JsonObject Document);

public sealed record ExportResponse(string PassportId, string Group, IReadOnlyList<ExportedDocument> Documents);

public sealed record RecycledContentRequest(string Category, IReadOnlyList<string> Metals, IReadOnlyDictionary<string, double> Shares, DateOnly At, bool ExclusivelyExternalStorage = false);

public sealed record AttributeInfo(string Path, string Section, string Access, bool Dynamic, string LabelFr, string LabelEn, string? Unit, string Reference, IReadOnlyList<string> ReadableBy);

public sealed record CallerInfo(string Id, string Name, string Role, string? Interest);

public sealed record SearchResult(IReadOnlyList<SearchHit> Passports, string? Next);

/// <summary>A search hit; status and lifecycle only for readers who may see them.</summary>
public sealed record SearchHit(string PassportId, string BatteryId, string OperatorId, string Category, string? Chemistry, string? ManufacturedAt, string? Status, string? Lifecycle);

/// <summary>The HTTP API under <c>/api/batteries</c> and the resolver under <c>/batteries</c> (JSON twin of the passport page).</summary>
public static class BatteriesApi
{
    public static IEndpointRouteBuilder MapBatteriesApi(this IEndpointRouteBuilder app)
    {
        // the resolver a QR code points to: JSON here, the page for a browser (JsonTwinMatcherPolicy)
        app.MapGet("/batteries/p/{id}", Resolve).WithMetadata(new JsonTwinMetadata()).WithTags("Batteries resolver").WithName("BatteryResolver");
        app.MapGet("/batteries/p/{id}/qr.svg", QrSvg).WithTags("Batteries resolver");
        app.MapGet("/batteries/p/{id}/qr.png", QrPng).WithTags("Batteries resolver");
        app.MapGet("/batteries/01/{gtin}/21/{serial}", DigitalLink).WithTags("Batteries resolver");
        app.MapPost("/batteries/signout", SignOut).ExcludeFromDescription();

        var api = app.MapGroup("/api/batteries").WithTags("Batteries");
        api.MapGet("/me", (Delegate)Me);
        api.MapGet("/passports/{id}", ReadPassport);
        api.MapGet("/passports", Search);
        api.MapPost("/passports", Create);
        api.MapPost("/passports/import", Import);
        api.MapPost("/passports/import/bulk", BulkImport).Accepts<string>("application/x-ndjson");
        api.MapPost("/passports/{id}/versions", Update);
        api.MapPost("/passports/{id}/dynamic", AppendDynamic);
        api.MapPost("/passports/{id}/status", ChangeStatus);
        api.MapGet("/passports/{id}/versions", Versions);
        api.MapGet("/passports/{id}/readings", Readings);
        api.MapGet("/passports/{id}/verify", Verify);
        api.MapGet("/passports/{id}/completeness", Completeness);
        api.MapGet("/passports/{id}/compliance", Compliance);
        api.MapGet("/passports/{id}/export/batterypass", ExportBatteryPass);
        api.MapGet("/passports/{id}/export/batterypass/{submodel}", ExportSubmodel);
        api.MapGet("/passports/{id}/export/catenax", ExportCatenaX);
        api.MapGet("/operators/{id}/keys", OperatorKeys);
        api.MapPost("/operators/me/keys/rotate", RotateKey);
        api.MapGet("/schemas", (() => TypedResults.Ok(SchemaCatalog.All)));
        api.MapPost("/validate", Validate);
        api.MapGet("/access", AccessMatrix);
        api.MapGet("/footprint/mixes", () => TypedResults.Ok(ElectricityMixes.All));
        api.MapPost("/footprint", ComputeFootprint);
        api.MapPost("/circularity/recycled-content", CheckRecycledContent);
        api.MapPost("/circularity/recycling", CheckRecycling);
        api.MapPost("/recycling-reports", SubmitReport);
        api.MapGet("/recycling-reports", ListReports);
        api.MapGet("/plan/scenarios", () => TypedResults.Ok(BuiltInScenarios.All));
        api.MapGet("/plan/scenarios/{name}", ScenarioText);
        api.MapGet("/plan/{name}", RunBuiltIn);
        api.MapPost("/plan", RunPlan);
        return app;
    }

    // ---- helpers --------------------------------------------------------------------------------------------------

    private static readonly ProblemHttpResult BadKey = Error.Unauthorized("The access key is unknown or revoked.").ToProblem();

    private static async Task<(Party? Party, ProblemHttpResult? Problem)> CallerAsync(HttpContext ctx, bool required = false)
    {
        var party = await BatteriesAuth.CallerAsync(ctx);
        if (BatteriesAuth.PresentedBadKey(ctx))
        {
            return (null, BadKey);
        }
        if (required && party is null)
        {
            return (null, Error.Unauthorized("Sign in with an access key (Authorization: Bearer sbk_…).").ToProblem());
        }
        return (party, null);
    }

    /// <summary>An <c>Idempotency-Key</c> header makes a write answer the same when retried: the key, bound to the party and to the request's hash.</summary>
    private static Result<IdempotencyKey?> Idempotency(HttpContext ctx, Party party, object body)
    {
        var key = ctx.Request.Headers["Idempotency-Key"].ToString();
        if (key.Length == 0)
        {
            return Result<IdempotencyKey?>.Ok(null);
        }
        if (key.Length > 200)
        {
            return Error.Validation("Idempotency-Key", "is longer than 200 characters");
        }
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{ctx.Request.Method} {ctx.Request.Path}\n{JsonSerializer.Serialize(body, JsonText.Options)}")));
        return new IdempotencyKey(party.Id, key, hash);
    }

    private static async Task<Results<Ok<T>, ProblemHttpResult>> Respond<T>(Task<Result<T>> work) => (await work).ToHttp();

    // ---- resolver -------------------------------------------------------------------------------------------------

    /// <summary>The passport for the caller's access group, as JSON.</summary>
    public static async Task<IResult> Resolve(string id, HttpContext ctx, PassportViews views)
    {
        var (party, problem) = await CallerAsync(ctx);
        if (problem is not null)
        {
            return problem;
        }
        var view = await views.ReadAsync(id, party, ctx.RequestAborted);
        if (!view.IsSuccess)
        {
            return view.Error.Code == "passport_ended" ? TypedResults.Problem(view.Error.Message, statusCode: 410, title: "passport_ended") : view.Error.ToProblem();
        }
        ctx.Response.Headers.Vary = "Accept, Authorization, Cookie";
        ctx.Response.Headers.CacheControl = party is null ? "public, max-age=60" : "private, no-store";
        return TypedResults.Bytes(view.Value.Json, "application/json");
    }

    public static async Task<IResult> QrSvg(string id, PassportViews views, PassportRegistry registry, CancellationToken ct)
    {
        if (!PassportIds.IsValid(id) || await registry.HeadAsync(id, ct) is null)
        {
            return Error.NotFound($"Passport {id}").ToProblem();
        }
        return TypedResults.Text(QrCodes.Svg(views.PageUrl(id)), "image/svg+xml", Encoding.UTF8);
    }

    public static async Task<IResult> QrPng(string id, PassportViews views, PassportRegistry registry, CancellationToken ct)
    {
        if (!PassportIds.IsValid(id) || await registry.HeadAsync(id, ct) is null)
        {
            return Error.NotFound($"Passport {id}").ToProblem();
        }
        return TypedResults.Bytes(QrCodes.Png(views.PageUrl(id)), "image/png");
    }

    /// <summary>GS1 Digital Link: <c>/batteries/01/{gtin}/21/{serial}</c> leads to the battery's active passport.</summary>
    public static async Task<IResult> DigitalLink(string gtin, string serial, PassportRegistry registry, CancellationToken ct)
    {
        var batteryId = BatteryIds.Format(gtin, serial);
        if (BatteryIds.Problem(batteryId) is { } problem)
        {
            return Error.Validation("gtin", problem).ToProblem();
        }
        var passport = await registry.ActivePassportOfAsync(batteryId, ct);
        return passport is null ? Error.NotFound($"An active passport for battery {batteryId}").ToProblem() : TypedResults.Redirect($"/batteries/p/{passport}", permanent: false, preserveMethod: false);
    }

    /// <summary>Ends the browser session (the form carries an antiforgery token, checked because the handler binds a form field).</summary>
    public static async Task<RedirectHttpResult> SignOut(HttpContext ctx, [Microsoft.AspNetCore.Mvc.FromForm(Name = "returnUrl")] string? returnUrl)
    {
        await Microsoft.AspNetCore.Authentication.AuthenticationHttpContextExtensions.SignOutAsync(ctx, BatteriesAuth.CookieScheme);
        return TypedResults.LocalRedirect("/batteries");
    }

    // ---- reads ----------------------------------------------------------------------------------------------------

    public static async Task<Results<Ok<CallerInfo>, ProblemHttpResult>> Me(HttpContext ctx)
    {
        var (party, problem) = await CallerAsync(ctx, required: true);
        return problem ?? (Results<Ok<CallerInfo>, ProblemHttpResult>)TypedResults.Ok(new CallerInfo(party!.Id, party.Name, Party.RoleCode(party.Role), party.Profile.Interest));
    }

    public static Task<IResult> ReadPassport(string id, HttpContext ctx, PassportViews views) => Resolve(id, ctx, views);

    /// <summary>Searches the registry. Authorities and the Commission search every passport; an operator its own; a person with a
    /// legitimate interest by battery identifier only. Filtering by status is for those who may see it.</summary>
    public static async Task<Results<Ok<SearchResult>, ProblemHttpResult>> Search(
        HttpContext ctx, PassportRegistry registry, string? operatorId, string? category, string? chemistry, string? batteryId, string? status,
        string? lifecycle, DateOnly? manufacturedFrom, DateOnly? manufacturedTo, int? limit, string? after)
    {
        var (party, problem) = await CallerAsync(ctx, required: true);
        if (problem is not null)
        {
            return problem;
        }
        var group = party!.Role == PartyRole.Operator ? AccessGroup.Operator : party.OversightGroup;
        var checks = new Checks();
        if (party.Role == PartyRole.Operator)
        {
            checks.That(operatorId is null || operatorId == party.Id, "operatorId", "an operator searches its own passports");
            operatorId = party.Id;
        }
        if (party.Role == PartyRole.LegitimateInterest)
        {
            checks.That(batteryId is not null, "batteryId", "a person with a legitimate interest searches by battery identifier");
        }
        BatteryStatus? statusFilter = null;
        PassportLifecycle? lifecycleFilter = null;
        if (status is not null || lifecycle is not null)
        {
            if (!AccessRules.CanSeeStatus(group))
            {
                checks.Add(status is not null ? "status" : "lifecycle", "is individual battery data (Annex XIII (4)): your access group cannot search by it");
            }
            if (status is not null && !StatusTransitions.TryParseStatus(status, out var s))
            {
                checks.Add("status", $"must be one of {string.Join(", ", Enum.GetNames<BatteryStatus>())}");
            }
            else if (status is not null)
            {
                statusFilter = Enum.Parse<BatteryStatus>(status);
            }
            if (lifecycle is not null && !Enum.TryParse<PassportLifecycle>(lifecycle, ignoreCase: true, out var l))
            {
                checks.Add("lifecycle", "must be active, superseded or ended");
            }
            else if (lifecycle is not null)
            {
                lifecycleFilter = Enum.Parse<PassportLifecycle>(lifecycle, ignoreCase: true);
            }
        }
        if (category is not null)
        {
            checks.That(PassportContent.Categories.Contains(category), "category", $"must be one of {string.Join(", ", PassportContent.Categories)}");
        }
        checks.That(limit is null or (>= 1 and <= PassportRegistry.MaxSearchResults), "limit", $"must be between 1 and {PassportRegistry.MaxSearchResults}");
        if (checks.Failed)
        {
            return checks.ToError().ToProblem();
        }
        var max = limit ?? 50;
        var seesStatus = AccessRules.CanSeeStatus(group);
        // readers who do not see statuses search active passports only: two passports of one battery (a repurposed one and
        // its successor) would otherwise tell them what happened to it
        var heads = await registry.SearchAsync(new PassportQuery
        {
            OperatorId = operatorId, Category = category, Chemistry = chemistry, BatteryId = batteryId, Status = statusFilter,
            Lifecycle = seesStatus ? lifecycleFilter : PassportLifecycle.Active,
            ManufacturedFrom = manufacturedFrom, ManufacturedTo = manufacturedTo, Limit = max, After = after,
        }, ctx.RequestAborted);
        // ended passports have ceased to exist for everyone but their operator
        var hits = heads.Where(h => h.Lifecycle != PassportLifecycle.Ended || group == AccessGroup.Operator)
            .Select(h => new SearchHit(h.Id, h.BatteryId, h.OperatorId, h.Category, h.Chemistry, h.ManufacturedAt,
                seesStatus ? h.Status.ToString() : null, seesStatus ? h.Lifecycle.ToString().ToLowerInvariant() : null)).ToList();
        return TypedResults.Ok(new SearchResult(hits, heads.Count == max ? heads[^1].Id : null));
    }

    /// <summary>Who may read the history of a passport (versions, readings): its operator and persons with a legitimate interest.</summary>
    private static async Task<(Party? Party, PassportHead? Head, ProblemHttpResult? Problem)> HistoryReaderAsync(HttpContext ctx, PassportRegistry registry, string id, bool authoritiesToo = false)
    {
        var (party, problem) = await CallerAsync(ctx, required: true);
        if (problem is not null)
        {
            return (null, null, problem);
        }
        var head = PassportIds.IsValid(id) ? await registry.HeadAsync(id, ctx.RequestAborted) : null;
        if (head is null)
        {
            return (null, null, Error.NotFound($"Passport {id}").ToProblem());
        }
        var group = party!.GroupFor(head.OperatorId);
        var allowed = AccessRules.CanSeeStatus(group) || (authoritiesToo && group is AccessGroup.Authorities or AccessGroup.Commission);
        if (!allowed || (head.Lifecycle == PassportLifecycle.Ended && group != AccessGroup.Operator && !authoritiesToo))
        {
            return (null, null, Error.Forbidden("Your access group cannot read this passport's history.").ToProblem());
        }
        return (party, head, null);
    }

    public static async Task<Results<Ok<IReadOnlyList<VersionInfo>>, ProblemHttpResult>> Versions(string id, HttpContext ctx, PassportRegistry registry)
    {
        var (_, _, problem) = await HistoryReaderAsync(ctx, registry, id);
        return problem ?? (Results<Ok<IReadOnlyList<VersionInfo>>, ProblemHttpResult>)TypedResults.Ok(await registry.VersionsAsync(id, ctx.RequestAborted));
    }

    public static async Task<Results<Ok<IReadOnlyList<StoredReading>>, ProblemHttpResult>> Readings(string id, HttpContext ctx, PassportRegistry registry)
    {
        var (_, _, problem) = await HistoryReaderAsync(ctx, registry, id);
        return problem ?? (Results<Ok<IReadOnlyList<StoredReading>>, ProblemHttpResult>)TypedResults.Ok(await registry.ReadingsAsync(id, ctx.RequestAborted));
    }

    /// <summary>Verifies the record (hashes, signatures, journal). Authorities and the Commission may verify too: they supervise.</summary>
    public static async Task<Results<Ok<VerificationReport>, ProblemHttpResult>> Verify(string id, HttpContext ctx, PassportRegistry registry)
    {
        var (_, _, problem) = await HistoryReaderAsync(ctx, registry, id, authoritiesToo: true);
        if (problem is not null)
        {
            return problem;
        }
        return TypedResults.Ok((await registry.VerifyAsync(id, ctx.RequestAborted))!);
    }

    public static async Task<Results<Ok<IReadOnlyList<ContentProblem>>, ProblemHttpResult>> Completeness(string id, HttpContext ctx, PassportRegistry registry)
    {
        var (party, problem) = await CallerAsync(ctx, required: true);
        if (problem is not null)
        {
            return problem;
        }
        var read = PassportIds.IsValid(id) ? await registry.ReadAsync(id, null, ctx.RequestAborted) : null;
        if (read is null)
        {
            return Error.NotFound($"Passport {id}").ToProblem();
        }
        if (party!.GroupFor(read.Value.Head.OperatorId) != AccessGroup.Operator)
        {
            return Error.Forbidden("Only the passport's operator sees what its passport lacks.").ToProblem();
        }
        return TypedResults.Ok(PassportContent.Completeness(read.Value.Document.Content));
    }

    /// <summary>Recycled content against Art. 8 at a date (public data).</summary>
    public static async Task<Results<Ok<RecycledContentResult>, ProblemHttpResult>> Compliance(string id, DateOnly? at, HttpContext ctx, PassportViews views, TimeProvider time)
    {
        var (party, problem) = await CallerAsync(ctx);
        if (problem is not null)
        {
            return problem;
        }
        var view = await views.ReadAsync(id, party, ctx.RequestAborted);
        if (!view.IsSuccess)
        {
            return view.Error.ToProblem();
        }
        using var doc = view.Value.Parse();
        return TypedResults.Ok(RecycledContent.CheckPassport(doc.RootElement.GetProperty("content"), at ?? DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime)));
    }

    // ---- exports --------------------------------------------------------------------------------------------------

    private static async Task<(PassportHead Head, JsonElement Content, AccessGroup Group, Party? Party)?> ReadForExportAsync(string id, HttpContext ctx, PassportRegistry registry)
    {
        var party = await BatteriesAuth.CallerAsync(ctx);
        var read = PassportIds.IsValid(id) ? await registry.ReadAsync(id, null, ctx.RequestAborted) : null;
        if (read is null)
        {
            return null;
        }
        var group = party?.GroupFor(read.Value.Head.OperatorId) ?? AccessGroup.Public;
        if (read.Value.Head.Lifecycle == PassportLifecycle.Ended && group != AccessGroup.Operator)
        {
            return null;
        }
        return (read.Value.Head, read.Value.Document.Content, group, party);
    }

    /// <summary>The Battery Pass 1.2 sub-model documents the caller may see, each with its validation against the published schema.</summary>
    public static async Task<Results<Ok<ExportResponse>, ProblemHttpResult>> ExportBatteryPass(string id, HttpContext ctx, PassportRegistry registry)
    {
        if ((await CallerAsync(ctx)).Problem is { } problem)
        {
            return problem;
        }
        if (await ReadForExportAsync(id, ctx, registry) is not { } read)
        {
            return Error.NotFound($"Passport {id}").ToProblem();
        }
        var docs = BatteryPassFormat.Export(read.Content, read.Group)
            .Select(d => new ExportedDocument(d.Name, d.SchemaId, d.Valid, d.Errors, d.Document)).ToList();
        return TypedResults.Ok(new ExportResponse(id, read.Group.Code(), docs));
    }

    /// <summary>One Battery Pass 1.2 sub-model document as is (header <c>Socle-Schema-Valid</c>: whether it validates).</summary>
    public static async Task<IResult> ExportSubmodel(string id, string submodel, HttpContext ctx, PassportRegistry registry)
    {
        if ((await CallerAsync(ctx)).Problem is { } problem)
        {
            return problem;
        }
        if (await ReadForExportAsync(id, ctx, registry) is not { } read)
        {
            return Error.NotFound($"Passport {id}").ToProblem();
        }
        var section = BatteryPassFormat.SectionOf(submodel);
        var doc = section is null ? null : BatteryPassFormat.Export(read.Content, read.Group).FirstOrDefault(d => d.Name == BatteryPassFormat.SubmodelNames[section]);
        if (doc is null)
        {
            return Error.NotFound($"Sub-model {submodel} of passport {id}").ToProblem();
        }
        ctx.Response.Headers["Socle-Schema-Valid"] = doc.Valid ? "true" : "false";
        return TypedResults.Text(doc.Document.ToJsonString(JsonText.Indented), "application/json", Encoding.UTF8);
    }

    /// <summary>The Catena-X battery_pass 6.1.0 document (header <c>Socle-Schema-Valid</c>).</summary>
    public static async Task<IResult> ExportCatenaX(string id, HttpContext ctx, PassportRegistry registry, PartyStore parties, PassportViews views)
    {
        if ((await CallerAsync(ctx)).Problem is { } problem)
        {
            return problem;
        }
        if (await ReadForExportAsync(id, ctx, registry) is not { } read)
        {
            return Error.NotFound($"Passport {id}").ToProblem();
        }
        var op = await parties.GetAsync(read.Head.OperatorId, ctx.RequestAborted);
        var doc = CatenaXFormat.Export(read.Content, read.Group, new CatenaXContext(read.Head, op?.Profile ?? new PartyProfile(), views.PageUrl(id)));
        ctx.Response.Headers["Socle-Schema-Valid"] = doc.Valid ? "true" : "false";
        return TypedResults.Text(doc.Document.ToJsonString(JsonText.Indented), "application/json", Encoding.UTF8);
    }

    public static async Task<Results<Ok<IReadOnlyList<PublishedKey>>, ProblemHttpResult>> OperatorKeys(string id, SigningKeys keys, PartyStore parties, CancellationToken ct)
    {
        var party = await parties.GetAsync(id, ct);
        if (party is null || party.Role is not (PartyRole.Operator or PartyRole.LegitimateInterest))
        {
            return Error.NotFound($"Signing party {id}").ToProblem();
        }
        return TypedResults.Ok(await keys.ForOperatorAsync(id, ct));
    }

    public static async Task<Results<Ok<PublishedKey>, ProblemHttpResult>> RotateKey(HttpContext ctx, SigningKeys keys)
    {
        var (party, problem) = await CallerAsync(ctx, required: true);
        if (problem is not null)
        {
            return problem;
        }
        if (party!.Role is not (PartyRole.Operator or PartyRole.LegitimateInterest))
        {
            return Error.Forbidden("Only parties that sign changes have signing keys.").ToProblem();
        }
        var key = await keys.RotateAsync(party.Id, ctx.RequestAborted);
        var published = (await keys.ForOperatorAsync(party.Id, ctx.RequestAborted)).Single(k => k.KeyId == key.KeyId);
        return TypedResults.Ok(published);
    }

    // ---- writes ---------------------------------------------------------------------------------------------------

    public static async Task<Results<Created<PassportRecord>, ProblemHttpResult>> Create(CreatePassportRequest request, HttpContext ctx, PassportRegistry registry)
    {
        var (party, problem) = await CallerAsync(ctx, required: true);
        if (problem is not null)
        {
            return problem;
        }
        if (request?.Content is null)
        {
            return Error.Validation("content", "is required: the passport's sections").ToProblem();
        }
        var idem = Idempotency(ctx, party!, request);
        if (!idem.IsSuccess)
        {
            return idem.Error.ToProblem();
        }
        var result = await registry.CreateAsync(party!, request.Content, CreateMode.Create, idem.Value, ctx.RequestAborted);
        return result.IsSuccess ? TypedResults.Created($"/api/batteries/passports/{result.Value.Head.Id}", result.Value) : result.Error.ToProblem();
    }

    public static async Task<Results<Created<ImportResponse>, ProblemHttpResult>> Import(ImportRequest request, HttpContext ctx, PassportRegistry registry,
        IOptions<BatteriesOptions> options, TimeProvider time)
    {
        var (party, problem) = await CallerAsync(ctx, required: true);
        if (problem is not null)
        {
            return problem;
        }
        ImportedContent imported;
        switch (request?.Format)
        {
            case "batterypass-1.2" when request.Documents is { Count: > 0 } documents:
                imported = BatteryPassFormat.Import(documents.Select(d => (d.Key, ToElement(d.Value))), time.GetUtcNow());
                break;
            case "catenax-6.1" when request.Document is { } document:
                imported = CatenaXFormat.Import(ToElement(document), options.Value.PassportUrnNamespace);
                break;
            case "batterypass-1.2":
                return Error.Validation("documents", "give the sub-model documents by name").ToProblem();
            case "catenax-6.1":
                return Error.Validation("document", "give the Catena-X document").ToProblem();
            default:
                return Error.Validation("format", "must be batterypass-1.2 or catenax-6.1").ToProblem();
        }
        if (!imported.Ok)
        {
            // paths into the request body: $.documents.<name>… or $.document…
            var fields = imported.Problems.GroupBy(p => request.Format == "catenax-6.1" ? $"$.document{p.Path[1..]}" : $"$.documents.{p.Document}{p.Path[1..]}")
                .ToDictionary(g => g.Key, g => g.Select(p => p.Message).ToArray());
            return Error.Validation(fields).ToProblem();
        }
        var idem = Idempotency(ctx, party!, request);
        if (!idem.IsSuccess)
        {
            return idem.Error.ToProblem();
        }
        var result = await registry.CreateAsync(party!, imported.Content!, CreateMode.Import, idem.Value, ctx.RequestAborted);
        return result.IsSuccess
            ? TypedResults.Created($"/api/batteries/passports/{result.Value.Head.Id}", new ImportResponse(result.Value, imported.Notes))
            : result.Error.ToProblem();
    }

    /// <summary>Bulk import: one passport's content (sections) per line (application/x-ndjson).</summary>
    public static async Task<Results<Ok<BulkImportResult>, ProblemHttpResult>> BulkImport(HttpContext ctx, PassportRegistry registry, string? mode)
    {
        var (party, problem) = await CallerAsync(ctx, required: true);
        if (problem is not null)
        {
            return problem;
        }
        var createMode = mode switch
        {
            null or "create" => CreateMode.Create,
            "import" => CreateMode.Import,
            _ => (CreateMode?)null,
        };
        if (createMode is null)
        {
            return Error.Validation("mode", "must be create or import").ToProblem();
        }
        var result = await registry.ImportManyAsync(party!, Lines(ctx.Request.Body, ctx.RequestAborted), createMode.Value, null, ctx.RequestAborted);
        return TypedResults.Ok(result);
    }

    /// <summary>Reads JSON lines (blank lines skipped); each is parsed by the import itself, on every core — a line that is
    /// not a JSON object is refused there with its line number.</summary>
    public static async IAsyncEnumerable<(int Line, string Json)> Lines(Stream body, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        using var reader = new StreamReader(body, Encoding.UTF8);
        var n = 0;
        while (await reader.ReadLineAsync(ct) is { } line)
        {
            n++;
            if (!string.IsNullOrWhiteSpace(line))
            {
                yield return (n, line);
            }
        }
    }

    public static async Task<Results<Ok<PassportRecord>, ProblemHttpResult>> Update(string id, UpdatePassportRequest request, HttpContext ctx, PassportRegistry registry)
    {
        var (party, problem) = await CallerAsync(ctx, required: true);
        if (problem is not null)
        {
            return problem;
        }
        if (request?.Sections is null)
        {
            return Error.Validation("sections", "is required").ToProblem();
        }
        var expected = request.ExpectedVersion;
        if (ctx.Request.Headers.IfMatch.ToString() is { Length: > 0 } ifMatch)
        {
            if (!int.TryParse(ifMatch.Trim('"'), NumberStyles.None, CultureInfo.InvariantCulture, out var v))
            {
                return Error.Validation("If-Match", "must be the version number the change is based on").ToProblem();
            }
            expected = v;
        }
        var idem = Idempotency(ctx, party!, request);
        if (!idem.IsSuccess)
        {
            return idem.Error.ToProblem();
        }
        return await Respond(registry.UpdateAsync(party!, id, request.Sections, expected, idem.Value, ctx.RequestAborted));
    }

    public static async Task<Results<Ok<PassportRecord>, ProblemHttpResult>> AppendDynamic(string id, DynamicReading reading, HttpContext ctx, PassportRegistry registry)
    {
        var (party, problem) = await CallerAsync(ctx, required: true);
        if (problem is not null)
        {
            return problem;
        }
        var idem = Idempotency(ctx, party!, reading);
        if (!idem.IsSuccess)
        {
            return idem.Error.ToProblem();
        }
        return await Respond(registry.AppendDynamicAsync(party!, id, reading, idem.Value, ctx.RequestAborted));
    }

    public static async Task<Results<Ok<StatusChangeRecord>, ProblemHttpResult>> ChangeStatus(string id, StatusChangeRequest request, HttpContext ctx, PassportRegistry registry)
    {
        var (party, problem) = await CallerAsync(ctx, required: true);
        if (problem is not null)
        {
            return problem;
        }
        if (!StatusTransitions.TryParse(request?.Change, out var change))
        {
            return Error.Validation("change", "must be reuse, repurpose, remanufacture, discard or recycle").ToProblem();
        }
        var idem = Idempotency(ctx, party!, request!);
        if (!idem.IsSuccess)
        {
            return idem.Error.ToProblem();
        }
        return await Respond(registry.ChangeStatusAsync(party!, id, change, request!.NewBatteryId, idem.Value, ctx.RequestAborted));
    }

    // ---- tools ----------------------------------------------------------------------------------------------------

    public static Results<Ok<ValidationResponse>, ProblemHttpResult> Validate(string? schema, JsonElement document)
    {
        if (schema is null || !SchemaCatalog.IsKnown(schema))
        {
            return Error.Validation("schema", $"must be one of {string.Join(", ", SchemaCatalog.All.Select(s => s.Id))}").ToProblem();
        }
        var errors = SchemaCatalog.Get(schema).Validate(document);
        return TypedResults.Ok(new ValidationResponse(schema, errors.Count == 0, errors));
    }

    public static Ok<IReadOnlyList<AttributeInfo>> AccessMatrix() =>
        TypedResults.Ok<IReadOnlyList<AttributeInfo>>(AttributeCatalog.All.Select(a => new AttributeInfo(a.Path, a.Section, a.Access.Code(), a.Dynamic, a.LabelFr, a.LabelEn, a.Unit, a.Reference,
            Enum.GetValues<AccessGroup>().Where(g => AccessRules.CanRead(g, a.Access)).Select(g => g.Code()).ToList())).ToList());

    public static Results<Ok<FootprintResult>, ProblemHttpResult> ComputeFootprint(FootprintRequest request, IOptions<FootprintOptions> options) =>
        request is null ? Error.Validation("body", "is required").ToProblem() : CarbonFootprint.Compute(request, options.Value).ToHttp();

    public static Results<Ok<RecycledContentResult>, ProblemHttpResult> CheckRecycledContent(RecycledContentRequest request)
    {
        if (request is null)
        {
            return Error.Validation("body", "is required").ToProblem();
        }
        var checks = new Checks();
        checks.That(PassportContent.Categories.Contains(request.Category), "category", $"must be one of {string.Join(", ", PassportContent.Categories)}");
        string? Canonical(string metal) => RecycledContent.Metals.FirstOrDefault(m => string.Equals(m, metal, StringComparison.OrdinalIgnoreCase));
        var shares = new Dictionary<string, double>();
        foreach (var (metal, share) in request.Shares ?? new Dictionary<string, double>())
        {
            checks.That(Canonical(metal) is not null, $"shares.{metal}", $"must be one of {string.Join(", ", RecycledContent.Metals)}");
            checks.Range(share, $"shares.{metal}", 0, 100);
            if (Canonical(metal) is { } m)
            {
                shares[m] = share;
            }
        }
        var metals = new List<string>();
        foreach (var (metal, i) in (request.Metals ?? []).Select((m, i) => (m, i)))
        {
            checks.That(Canonical(metal) is not null, $"metals[{i}]", $"must be one of {string.Join(", ", RecycledContent.Metals)}");
            if (Canonical(metal) is { } m)
            {
                metals.Add(m);
            }
        }
        if (checks.Failed)
        {
            return checks.ToError().ToProblem();
        }
        return TypedResults.Ok(RecycledContent.Check(request.Category, metals, shares, request.At, request.ExclusivelyExternalStorage));
    }

    public static Results<Ok<RecyclingResult>, ProblemHttpResult> CheckRecycling(RecyclingReport report, DateOnly? at)
    {
        if (report is null)
        {
            return Error.Validation("body", "is required").ToProblem();
        }
        return report.Problems() is { } error ? error.ToProblem() : TypedResults.Ok(Recycling.Check(report, at));
    }

    public static async Task<Results<Created<StoredRecyclingReport>, ProblemHttpResult>> SubmitReport(RecyclingReport report, HttpContext ctx, RecyclingReports reports)
    {
        var (party, problem) = await CallerAsync(ctx, required: true);
        if (problem is not null)
        {
            return problem;
        }
        var result = await reports.SubmitAsync(party!, report, ctx.RequestAborted);
        return result.IsSuccess ? TypedResults.Created($"/api/batteries/recycling-reports/{result.Value.Report.Id}", result.Value) : result.Error.ToProblem();
    }

    public static async Task<Results<Ok<IReadOnlyList<StoredRecyclingReport>>, ProblemHttpResult>> ListReports(DateOnly? at, HttpContext ctx, RecyclingReports reports)
    {
        var (party, problem) = await CallerAsync(ctx, required: true);
        if (problem is not null)
        {
            return problem;
        }
        string? recycler = party!.Role switch
        {
            PartyRole.NotifiedBody or PartyRole.MarketSurveillance or PartyRole.Commission => null,
            _ when party.IsRecycler => party.Id,
            _ => "",
        };
        if (recycler == "")
        {
            return Error.Forbidden("Recycling reports are read by their recycler, authorities and the Commission.").ToProblem();
        }
        return TypedResults.Ok(await reports.ListAsync(recycler, at, ctx.RequestAborted));
    }

    public static Results<ContentHttpResult, ProblemHttpResult> ScenarioText(string name) =>
        BuiltInScenarios.All.Contains(name) ? TypedResults.Text(BuiltInScenarios.Text(name), "application/json", Encoding.UTF8) : Error.NotFound($"Scenario {name}").ToProblem();

    public static Results<Ok<Plan>, ProblemHttpResult> RunBuiltIn(string name) =>
        BuiltInScenarios.All.Contains(name) ? Planner.Run(BuiltInScenarios.Load(name)).ToHttp() : Error.NotFound($"Scenario {name}").ToProblem();

    public static Results<Ok<Plan>, ProblemHttpResult> RunPlan(Scenario scenario) =>
        scenario is null ? Error.Validation("body", "is required").ToProblem() : Planner.Run(scenario).ToHttp();

    private static JsonElement ToElement(JsonNode? node)
    {
        using var doc = JsonDocument.Parse(node?.ToJsonString() ?? "null");
        return doc.RootElement.Clone();
    }
}
