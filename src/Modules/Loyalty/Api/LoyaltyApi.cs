using System.Globalization;
using System.Text;
using Dapper;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using Socle.Modules.Loyalty.Access;
using Socle.Modules.Loyalty.Analytics;
using Socle.Modules.Loyalty.Ledger;
using Socle.Modules.Loyalty.Liability;
using Socle.Modules.Loyalty.Members;
using Socle.Modules.Loyalty.Poster;
using Socle.Modules.Loyalty.Programs;
using Socle.Modules.Loyalty.Rules;
using Socle.Platform;

namespace Socle.Modules.Loyalty.Api;

/// <summary>The wizard over HTTP. <c>Programme</c> is the programme document in its own snake_case form (see docs/loyalty).</summary>
public sealed record SetUpShopRequest(string ShopName, string StoreName, string OwnerName, string ProgrammeName, System.Text.Json.JsonElement? Programme, string RewardName, long RewardCost, long RewardValueCents = 0, string RewardKind = "free_item");

public sealed record PurchaseRequest(string? MemberId, string? MemberCode, decimal AmountEur, IReadOnlyList<BasketLine>? Lines, int Items, DateTimeOffset? OccurredAt, string? StoreId);

/// <summary>One purchase of a batch: the same fields as a single purchase, with its own idempotency key.</summary>
public sealed record BatchPurchase(string IdempotencyKey, string? MemberId, string? MemberCode, decimal AmountEur, IReadOnlyList<BasketLine>? Lines, int Items, DateTimeOffset? OccurredAt, string? StoreId);

/// <summary>Up to 100 purchases sent together (a till syncing after being offline, a POS server): each is recorded on its own.</summary>
public sealed record BatchRequest(IReadOnlyList<BatchPurchase> Purchases);

/// <summary>Each purchase's outcome or problem, in the order sent.</summary>
public sealed record BatchItemResult(string IdempotencyKey, PurchaseOutcome? Outcome, string? ErrorCode, string? Error, IReadOnlyDictionary<string, string[]>? Fields);

public sealed record RefundRequest(long AmountCents);

/// <summary>An offer to members: all who accept offers, or one RFM segment of them (then they must also accept profiling).</summary>
public sealed record OfferRequest(string Subject, string Body, string? Segment, string Channel = "page");

public sealed record OfferQueued(string OfferId, int Queued);

public sealed record AdjustRequest(long Units, string Reason);

public sealed record RedeemRequest(string RewardId);

public sealed record RewardRequest(string Name, string Kind, long Cost, long ValueCents, int ValidDays = 30);

public sealed record StaffRequest(string Name, string Role);

public sealed record StoreRequest(string Name);

public sealed record StaffCreated(string StaffId, string Role, string Key);

public sealed record WebhookRequest(string Url);

public sealed record WebhookCreated(string Url, string Secret);

public sealed record ProgrammeRequest(string Name, System.Text.Json.JsonElement Definition);

/// <summary>A programme version; <c>Definition</c> is the programme document (snake_case).</summary>
public sealed record ProgrammeView(string MerchantId, long Version, string Name, System.Text.Json.JsonElement Definition, string CreatedAt)
{
    public static ProgrammeView Of(Programme p) =>
        new(p.MerchantId, p.Version, p.Name, System.Text.Json.JsonDocument.Parse(p.Definition.ToJson()).RootElement.Clone(), p.CreatedAt);
}

public sealed record ConsentRequest(bool Granted);

public sealed record MemberCodeResponse(string Code, string Typed, int RotatesInSeconds, int ValidForSeconds);

public sealed record MemberSummary(string MemberId, string? DisplayName, long Visits, long LifetimeEarned, string JoinedAt, string? LastVisitAt, bool Erased);

public sealed record ReferralRow(string Id, string ReferrerId, string FriendId, string Status, string Reasons, string CreatedAt);

/// <summary>
/// The HTTP API under <c>/api/loyalty</c>. Points of sale send purchases with an <c>Idempotency-Key</c> header and a staff
/// key (<c>Authorization: Bearer lk_…</c>); a retried request returns the first answer. Member endpoints are reached with the
/// member's card secret (their private link).
/// </summary>
public static class LoyaltyApi
{
    public const string IdempotencyHeader = "Idempotency-Key";

    public static void Map(IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/loyalty").WithTags("Loyalty");

        api.MapPost("/shops", SetUpAsync).WithSummary("Set up a shop and its programme (the wizard); returns the owner's access key once").DisableAntiforgery();
        api.MapPost("/join", JoinAsync).WithSummary("Join a shop's programme by its join code (the shop's QR)").DisableAntiforgery();

        var staff = api.MapGroup("").RequireStaff().DisableAntiforgery();
        staff.MapPost("/purchases", RecordPurchaseAsync).WithSummary("Record a purchase (member id, or the member's scanned code); needs an Idempotency-Key header");
        staff.MapPost("/purchases/batch", RecordBatchAsync).WithSummary("Record up to 100 purchases, each with its own idempotency_key; one outcome or problem per purchase");
        staff.MapPost("/purchases/{purchaseId}/refunds", RefundAsync).WithSummary("Refund part or all of a purchase: its points are reversed in proportion");
        staff.MapGet("/programme", GetProgrammeAsync).WithSummary("The current programme");
        staff.MapGet("/rewards", RewardsAsync).WithSummary("The reward catalogue");
        staff.MapGet("/stores", async (HttpContext ctx, Merchants merchants, CancellationToken ct) => TypedResults.Ok(await merchants.StoresAsync(ctx.Staff().MerchantId, ct)))
            .WithSummary("The merchant's stores");
        staff.MapGet("/members/{memberId}", MemberAsync).WithSummary("A member's card: balance, pending, next expiry, tier, rewards");
        staff.MapPost("/members/{memberId}/redemptions", StaffRedeemAsync).WithSummary("Redeem a reward for a member at the till; needs an Idempotency-Key header");
        staff.MapPost("/reward-codes/{code}/use", UseRewardCodeAsync).WithSummary("Validate a member's reward code (single use)");

        var owner = api.MapGroup("").RequireStaff(ownerOnly: true).DisableAntiforgery();
        owner.MapPut("/programme", UpdateProgrammeAsync).WithSummary("Publish a new version of the programme");
        owner.MapPost("/rewards", AddRewardAsync).WithSummary("Add a reward to the catalogue");
        owner.MapPost("/stores", async (StoreRequest r, HttpContext ctx, Merchants merchants, CancellationToken ct) =>
            (await merchants.AddStoreAsync(ctx.Staff().MerchantId, r.Name, ct)).ToHttp()).WithSummary("Add a store");
        owner.MapPost("/staff", AddStaffAsync).WithSummary("Add a staff account (owner or cashier); returns its key once");
        owner.MapPut("/webhook", SetWebhookAsync).WithSummary("Set the webhook URL; returns the HMAC signing secret once");
        owner.MapGet("/members", MembersAsync).WithSummary("The members");
        owner.MapPost("/members/{memberId}/adjustments", AdjustAsync).WithSummary("Credit or debit units by hand, with a reason; needs an Idempotency-Key header");
        owner.MapGet("/liability", LiabilityAsync).WithSummary("IFRS 15 liability report: deferred revenue, breakage, outstanding units by expiry");
        owner.MapGet("/analytics", AnalyticsAsync).WithSummary("Retention by cohort, repeat rate, frequency, AOV, RFM segments, CLV, ROI");
        owner.MapGet("/referrals", ReferralsAsync).WithSummary("Referrals, e.g. ?status=review for the review queue");
        owner.MapPost("/referrals/{referralId}/approve", ApproveReferralAsync).WithSummary("Approve a referral under review (rewards both sides)");
        owner.MapPost("/referrals/{referralId}/reject", RejectReferralAsync).WithSummary("Reject a referral under review");
        owner.MapPost("/import", ImportAsync).WithSummary("Import past transactions (text/csv: date,amount_eur[,member,category,items,ref])");
        owner.MapPost("/offers", OfferAsync).WithSummary("Send a personalised offer (page or e-mail) to consenting members, optionally one RFM segment");
        owner.MapPost("/sweep", SweepAsync).WithSummary("Run expiry, surprises and outbox delivery now");
        owner.MapGet("/poster.png", PosterPngAsync).WithSummary("The in-store QR poster as PNG");
        owner.MapGet("/poster.pdf", PosterPdfAsync).WithSummary("The in-store QR poster as PDF (A4, vector QR)");

        var card = api.MapGroup("/cards/{card}").DisableAntiforgery();
        card.MapGet("", CardAsync).WithSummary("The member's card (the card secret is the member's private link)");
        card.MapGet("/code", CodeAsync).WithSummary("A fresh member code to show at the till (rotates every 30 s, valid 90 s, single use)");
        card.MapPost("/redemptions", MemberRedeemAsync).WithSummary("Redeem a reward; needs an Idempotency-Key header");
        card.MapPut("/consents/{purpose}", ConsentAsync).WithSummary("Give or withdraw marketing or profiling consent");
        card.MapGet("/export", ExportAsync).WithSummary("Everything held about the member, as JSON (default) or CSV (?format=csv)");
        card.MapDelete("", EraseAsync).WithSummary("Erase the member's personal data (the ledger stays under a pseudonym)");
    }

    private static Error? IdempotencyKey(HttpContext ctx, out string key)
    {
        key = ctx.Request.Headers[IdempotencyHeader].ToString().Trim();
        return key.Length is 0 or > 200 ? Error.Validation(IdempotencyHeader, "header is required (1 to 200 characters): a retry with the same key returns the first answer") : null;
    }

    private static async Task<Results<Ok<ShopCreated>, ProblemHttpResult>> SetUpAsync(SetUpShopRequest r, Merchants merchants, CancellationToken ct)
    {
        var definition = r.Programme is { } json ? ProgrammeDefinition.Parse(json.GetRawText()) : new ProgrammeDefinition();
        if (!definition.TryGet(out var d, out var error))
        {
            return PrefixFields(error, "programme.").ToProblem();
        }
        return (await merchants.SetUpAsync(new SetUpShop(r.ShopName, r.StoreName, r.OwnerName, r.ProgrammeName, d, r.RewardName, r.RewardCost, r.RewardValueCents, r.RewardKind), ct)).ToHttp();
    }

    private static Error PrefixFields(Error e, string prefix) =>
        e.Fields is { } f ? Error.Validation(f.ToDictionary(kv => prefix + kv.Key, kv => kv.Value)) : e;

    private static async Task<Results<Ok<Joined>, ProblemHttpResult>> JoinAsync(JoinRequest r, HttpContext ctx, Members.Members members, Outbox outbox, CancellationToken ct)
    {
        var result = await members.JoinAsync(r with { Device = r.Device ?? ctx.Connection.RemoteIpAddress?.ToString() }, ct);
        if (result.TryGet(out var joined, out _))
        {
            await outbox.EmitAsync(joined.MerchantId, "member.joined", new { member = joined.MemberId, referral = joined.ReferralStatus }, "joined:" + joined.MemberId, ct);
        }
        return result.ToHttp();
    }

    public static Checks CheckPurchase(PurchaseRequest r)
    {
        var c = new Checks();
        c.That(r.MemberId is not null || r.MemberCode is not null, "member_id", "give the member id or the member's code");
        c.That(r.AmountEur is >= 0 and <= 1_000_000 && decimal.Round(r.AmountEur, 2) == r.AmountEur, "amount_eur", "must be between 0 and 1000000 with at most 2 decimals");
        c.That(r.Items is >= 0 and <= 10_000, "items", "must be between 0 and 10000");
        if (r.Lines is { } lines)
        {
            c.That(lines.Count <= 500, "lines", "at most 500 lines");
            for (var i = 0; i < Math.Min(lines.Count, 500); i++)
            {
                c.That(lines[i].Amount_eur >= 0 && lines[i].Amount_eur <= r.AmountEur, $"lines[{i}].amount_eur", "must be between 0 and the purchase amount");
                c.That(lines[i].Quantity is > 0 and <= 10_000, $"lines[{i}].quantity", "must be between 0 and 10000");
            }
            c.That(lines.Sum(l => l.Amount_eur) <= r.AmountEur, "lines", "add up to more than the purchase amount");
        }
        return c;
    }

    private static async Task<Results<Ok<PurchaseOutcome>, ProblemHttpResult>> RecordPurchaseAsync(PurchaseRequest r, HttpContext ctx, PurchaseWriter writer, CancellationToken ct)
    {
        if (IdempotencyKey(ctx, out var key) is { } missing)
        {
            return missing.ToProblem();
        }
        var checks = CheckPurchase(r);
        if (checks.Failed)
        {
            return checks.ToError().ToProblem();
        }
        var staff = ctx.Staff();
        return (await writer.SubmitAsync(new PurchaseCommand(staff.MerchantId, key, (long)(r.AmountEur * 100), r.MemberId, r.MemberCode, r.Lines, r.Items,
            r.OccurredAt, r.StoreId, r.MemberCode is null ? "api" : "scan"), ct)).ToHttp();
    }

    private static async Task<Results<Ok<List<BatchItemResult>>, ProblemHttpResult>> RecordBatchAsync(BatchRequest r, HttpContext ctx, PurchaseWriter writer, CancellationToken ct)
    {
        if (r.Purchases is not { Count: > 0 and <= 100 })
        {
            return Error.Validation("purchases", "send 1 to 100 purchases").ToProblem();
        }
        var staff = ctx.Staff();
        var tasks = new Task<Result<PurchaseOutcome>>[r.Purchases.Count];
        for (var i = 0; i < r.Purchases.Count; i++)
        {
            var p = r.Purchases[i];
            var checks = CheckPurchase(new PurchaseRequest(p.MemberId, p.MemberCode, p.AmountEur, p.Lines, p.Items, p.OccurredAt, p.StoreId));
            checks.That(p.IdempotencyKey is { Length: > 0 and <= 200 }, "idempotency_key", "is required (1 to 200 characters)");
            tasks[i] = checks.Failed
                ? Task.FromResult(Result<PurchaseOutcome>.Fail(checks.ToError()))
                : writer.SubmitAsync(new PurchaseCommand(staff.MerchantId, p.IdempotencyKey, (long)(p.AmountEur * 100), p.MemberId, p.MemberCode, p.Lines, p.Items,
                    p.OccurredAt, p.StoreId, p.MemberCode is null ? "api" : "scan"), ct);
        }
        var results = await Task.WhenAll(tasks);
        return TypedResults.Ok(results.Select((x, i) => x.IsSuccess
            ? new BatchItemResult(r.Purchases[i].IdempotencyKey, x.Value, null, null, null)
            : new BatchItemResult(r.Purchases[i].IdempotencyKey, null, x.Error!.Code, x.Error.Message, x.Error.Fields)).ToList());
    }

    private static async Task<Results<Ok<LedgerChange>, ProblemHttpResult>> RefundAsync(string purchaseId, RefundRequest r, HttpContext ctx, MemberLedger ledger, CancellationToken ct)
    {
        if (IdempotencyKey(ctx, out var key) is { } missing)
        {
            return missing.ToProblem();
        }
        return (await ledger.RefundAsync(ctx.Staff().MerchantId, purchaseId, r.AmountCents, key, ct)).ToHttp();
    }

    private static async Task<Results<Ok<ProgrammeView>, NotFound>> GetProgrammeAsync(HttpContext ctx, Merchants merchants, CancellationToken ct) =>
        await merchants.ProgrammeAsync(ctx.Staff().MerchantId, ct) is { } p ? TypedResults.Ok(ProgrammeView.Of(p)) : TypedResults.NotFound();

    private static async Task<Results<Ok<ProgrammeView>, ProblemHttpResult>> UpdateProgrammeAsync(ProgrammeRequest r, HttpContext ctx, Merchants merchants, CancellationToken ct)
    {
        if (!ProgrammeDefinition.Parse(r.Definition.ValueKind == System.Text.Json.JsonValueKind.Undefined ? "{}" : r.Definition.GetRawText()).TryGet(out var d, out var error))
        {
            return error.ToProblem();
        }
        return (await merchants.UpdateProgrammeAsync(ctx.Staff().MerchantId, r.Name, d, ct)).Map(ProgrammeView.Of).ToHttp();
    }

    private static async Task<Ok<IReadOnlyList<Reward>>> RewardsAsync(HttpContext ctx, Merchants merchants, CancellationToken ct) =>
        TypedResults.Ok(await merchants.RewardsAsync(ctx.Staff().MerchantId, true, ct));

    private static async Task<Results<Ok<Reward>, ProblemHttpResult>> AddRewardAsync(RewardRequest r, HttpContext ctx, Merchants merchants, CancellationToken ct) =>
        (await merchants.AddRewardAsync(ctx.Staff().MerchantId, r.Name, r.Kind, r.Cost, r.ValueCents, r.ValidDays, ct)).ToHttp();

    private static async Task<Results<Ok<StaffCreated>, ProblemHttpResult>> AddStaffAsync(StaffRequest r, HttpContext ctx, Merchants merchants, CancellationToken ct) =>
        (await merchants.AddStaffAsync(ctx.Staff().MerchantId, r.Name, r.Role, ct)).Map(x => new StaffCreated(x.Staff.Id, x.Staff.Role, x.Key)).ToHttp();

    private static async Task<Results<Ok<WebhookCreated>, ProblemHttpResult>> SetWebhookAsync(WebhookRequest r, HttpContext ctx, Merchants merchants, CancellationToken ct) =>
        (await merchants.SetWebhookAsync(ctx.Staff().MerchantId, r.Url, ct)).Map(secret => new WebhookCreated(r.Url, secret)).ToHttp();

    private static async Task<Results<Ok<MemberCard>, NotFound>> MemberAsync(string memberId, HttpContext ctx, Members.Members members, CancellationToken ct) =>
        await members.CardAsync(ctx.Staff().MerchantId, memberId, ct) is { } card ? TypedResults.Ok(card) : TypedResults.NotFound();

    private static async Task<Ok<List<MemberSummary>>> MembersAsync(HttpContext ctx, Platform.Storage.Database db, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        var rows = await Dapper.SqlMapper.QueryAsync<(string Id, string? Name, long Visits, long Earned, string JoinedAt, string? LastVisit, string? Erased)>(c, new Dapper.CommandDefinition(
            "SELECT id, display_name, visits, lifetime_earned, joined_at, last_visit_at, erased_at FROM loyalty_members WHERE merchant_id = @m ORDER BY joined_at DESC LIMIT 500",
            new { m = ctx.Staff().MerchantId }, cancellationToken: ct));
        return TypedResults.Ok(rows.Select(r => new MemberSummary(r.Id, r.Name, r.Visits, r.Earned, r.JoinedAt, r.LastVisit, r.Erased is not null)).ToList());
    }

    private static async Task<Results<Ok<RewardCode>, ProblemHttpResult>> StaffRedeemAsync(string memberId, RedeemRequest r, HttpContext ctx, MemberLedger ledger, CancellationToken ct)
    {
        if (IdempotencyKey(ctx, out var key) is { } missing)
        {
            return missing.ToProblem();
        }
        return (await ledger.RedeemAsync(ctx.Staff().MerchantId, memberId, r.RewardId, key, ct)).ToHttp();
    }

    private static async Task<Results<Ok<RewardCode>, ProblemHttpResult>> UseRewardCodeAsync(string code, HttpContext ctx, MemberLedger ledger, Outbox outbox, CancellationToken ct)
    {
        var result = await ledger.UseRewardCodeAsync(ctx.Staff().MerchantId, code, ctx.Staff().Id, ct);
        if (result.TryGet(out var used, out _))
        {
            await outbox.EmitAsync(ctx.Staff().MerchantId, "reward.used", new { member = used.MemberId, reward = used.RewardId, code = used.Code }, "used:" + used.Code, ct);
        }
        return result.ToHttp();
    }

    private static async Task<Results<Ok<LedgerChange>, ProblemHttpResult>> AdjustAsync(string memberId, AdjustRequest r, HttpContext ctx, MemberLedger ledger, CancellationToken ct)
    {
        if (IdempotencyKey(ctx, out var key) is { } missing)
        {
            return missing.ToProblem();
        }
        return (await ledger.AdjustAsync(ctx.Staff().MerchantId, memberId, r.Units, r.Reason, key, by: ctx.Staff().Id, ct: ct)).ToHttp();
    }

    private static async Task<Results<Ok<LiabilityReportData>, NotFound>> LiabilityAsync(HttpContext ctx, Merchants merchants, LiabilityReport report, CancellationToken ct) =>
        await merchants.ProgrammeAsync(ctx.Staff().MerchantId, ct) is { } p ? TypedResults.Ok(await report.BuildAsync(p.MerchantId, p.Definition, ct)) : TypedResults.NotFound();

    private static async Task<Results<Ok<AnalyticsReport>, NotFound>> AnalyticsAsync(HttpContext ctx, Merchants merchants, ShopAnalytics analytics, CancellationToken ct) =>
        await merchants.ProgrammeAsync(ctx.Staff().MerchantId, ct) is { } p ? TypedResults.Ok(await analytics.ReportAsync(p.MerchantId, p.Definition, ct: ct)) : TypedResults.NotFound();

    private static async Task<Ok<List<ReferralRow>>> ReferralsAsync(string? status, HttpContext ctx, Platform.Storage.Database db, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        var rows = await Dapper.SqlMapper.QueryAsync<ReferralRow>(c, new Dapper.CommandDefinition(
            "SELECT id, referrer_id AS ReferrerId, friend_id AS FriendId, status, reasons, created_at AS CreatedAt FROM loyalty_referrals WHERE merchant_id = @m" +
            (status is null ? "" : " AND status = @status") + " ORDER BY created_at DESC LIMIT 500", new { m = ctx.Staff().MerchantId, status }, cancellationToken: ct));
        return TypedResults.Ok(rows.AsList());
    }

    private static async Task<Results<Ok<bool>, ProblemHttpResult>> ApproveReferralAsync(string referralId, HttpContext ctx, MemberLedger ledger, CancellationToken ct) =>
        (await ledger.RewardReferralAsync(ctx.Staff().MerchantId, referralId, ct)).ToHttp();

    private static async Task<Results<Ok<bool>, ProblemHttpResult>> RejectReferralAsync(string referralId, HttpContext ctx, Platform.Storage.Database db, TimeProvider time, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        var n = await Dapper.SqlMapper.ExecuteAsync(c, new Dapper.CommandDefinition(
            "UPDATE loyalty_referrals SET status = 'rejected', decided_at = @now WHERE id = @referralId AND merchant_id = @m AND status IN ('review', 'pending')",
            new { now = Platform.Storage.Sql.Time(time.GetUtcNow()), referralId, m = ctx.Staff().MerchantId }, cancellationToken: ct));
        return n == 1 ? TypedResults.Ok(true) : Error.Conflict("referral_closed", "No open referral with this id.").ToProblem();
    }

    private static async Task<Results<Ok<ImportReport>, ProblemHttpResult>> ImportAsync(HttpContext ctx, PurchaseImport import, CancellationToken ct)
    {
        using var reader = new StreamReader(ctx.Request.Body, Encoding.UTF8);
        return (await import.ImportAsync(ctx.Staff().MerchantId, reader, ct)).ToHttp();
    }

    private static async Task<Results<Ok<OfferQueued>, ProblemHttpResult>> OfferAsync(OfferRequest r, HttpContext ctx, Merchants merchants, ShopAnalytics analytics, Outbox outbox, Platform.Storage.Database db, CancellationToken ct)
    {
        var checks = new Checks().Require(r.Subject, "subject", 200).Require(r.Body, "body", 2000)
            .That(r.Channel is "page" or "email", "channel", "must be page or email")
            .That(r.Segment is null || Analytics.Rfm.Segments.Contains(r.Segment), "segment", "must be one of " + string.Join(", ", Analytics.Rfm.Segments));
        if (checks.Failed)
        {
            return checks.ToError().ToProblem();
        }
        var merchantId = ctx.Staff().MerchantId;
        IReadOnlyCollection<string> recipients;
        if (r.Segment is { } segment)
        {
            var programme = await merchants.ProgrammeAsync(merchantId, ct);
            var report = await analytics.ReportAsync(merchantId, programme!.Definition, ct: ct);
            recipients = report.AllMembers.Where(m => m.Segment == segment).Select(m => m.MemberId).ToList();
        }
        else
        {
            await using var c = await db.OpenAsync(ct);
            recipients = (await c.QueryAsync<string>(new CommandDefinition("SELECT id FROM loyalty_members WHERE merchant_id = @merchantId AND erased_at IS NULL",
                new { merchantId }, cancellationToken: ct))).AsList();
        }
        var offerId = MemberCode.NewId("off");
        var queued = await outbox.OfferAsync(merchantId, offerId, recipients, r.Segment is not null, r.Channel, r.Subject.Trim(), r.Body.Trim(), ct);
        return TypedResults.Ok(new OfferQueued(offerId, queued));
    }

    private static async Task<Ok<object>> SweepAsync(MemberLedger ledger, Surprises surprises, Outbox outbox, HttpContext ctx, CancellationToken ct)
    {
        var expired = await ledger.ExpireDueAsync(ctx.Staff().MerchantId, ct);
        var surprised = await surprises.RunAsync(ct);
        var sent = await outbox.DeliverAsync(ct);
        return TypedResults.Ok<object>(new { expired_members = expired, surprises = surprised, delivered = sent });
    }

    public static string JoinUrl(HttpContext ctx, IOptions<LoyaltyOptions> options, string joinCode)
    {
        var baseUrl = options.Value.PublicUrl?.TrimEnd('/') ?? $"{ctx.Request.Scheme}://{ctx.Request.Host}";
        return $"{baseUrl}/loyalty/join/{joinCode}";
    }

    private static async Task<Results<FileContentHttpResult, NotFound>> PosterPngAsync(HttpContext ctx, Merchants merchants, IOptions<LoyaltyOptions> options, CancellationToken ct) =>
        await merchants.GetAsync(ctx.Staff().MerchantId, ct) is { } m
            ? TypedResults.File(QrPoster.Png(JoinUrl(ctx, options, m.JoinCode)), "image/png", "poster.png")
            : TypedResults.NotFound();

    private static async Task<Results<FileContentHttpResult, NotFound>> PosterPdfAsync(HttpContext ctx, Merchants merchants, IOptions<LoyaltyOptions> options, CancellationToken ct) =>
        await merchants.GetAsync(ctx.Staff().MerchantId, ct) is { } m
            ? TypedResults.File(QrPoster.Pdf(JoinUrl(ctx, options, m.JoinCode), m.Name, "Rejoignez notre programme de fidélité",
                "Scannez ce code avec votre téléphone : votre carte est prête en un instant."), "application/pdf", "poster.pdf")
            : TypedResults.NotFound();

    private static async Task<(string MemberId, string MerchantId)?> CardOwnerAsync(string card, Members.Members members, CancellationToken ct) =>
        await members.ByCardAsync(card, ct);

    private static async Task<Results<Ok<MemberCard>, NotFound>> CardAsync(string card, Members.Members members, CancellationToken ct) =>
        await CardOwnerAsync(card, members, ct) is { } who && await members.CardAsync(who.MerchantId, who.MemberId, ct) is { } view ? TypedResults.Ok(view) : TypedResults.NotFound();

    public static async Task<MemberCodeResponse?> FreshCodeAsync(string card, Members.Members members, Merchants merchants, Platform.Storage.Database db, TimeProvider time, CancellationToken ct)
    {
        if (await members.ByCardAsync(card, ct) is not { } who || await merchants.GetAsync(who.MerchantId, ct) is not { } merchant)
        {
            return null;
        }
        await using var c = await db.OpenAsync(ct);
        var number = await Dapper.SqlMapper.ExecuteScalarAsync<string>(c, new Dapper.CommandDefinition(
            "SELECT referral_code FROM loyalty_members WHERE id = @MemberId", new { who.MemberId }, cancellationToken: ct));
        var now = time.GetUtcNow();
        return new MemberCodeResponse(MemberCode.Issue(merchant.QrKeyBytes, merchant.Id, who.MemberId, now), MemberCode.IssueTyped(merchant.QrKeyBytes, who.MemberId, number!, now),
            MemberCode.RotationSeconds, MemberCode.ValiditySeconds);
    }

    private static async Task<Results<Ok<MemberCodeResponse>, NotFound>> CodeAsync(string card, HttpContext ctx, Members.Members members, Merchants merchants, Platform.Storage.Database db, TimeProvider time, CancellationToken ct)
    {
        ctx.Response.Headers.CacheControl = "no-store";
        return await FreshCodeAsync(card, members, merchants, db, time, ct) is { } code ? TypedResults.Ok(code) : TypedResults.NotFound();
    }

    private static async Task<Results<Ok<RewardCode>, ProblemHttpResult>> MemberRedeemAsync(string card, RedeemRequest r, HttpContext ctx, Members.Members members, MemberLedger ledger, Outbox outbox, CancellationToken ct)
    {
        if (IdempotencyKey(ctx, out var key) is { } missing)
        {
            return missing.ToProblem();
        }
        if (await CardOwnerAsync(card, members, ct) is not { } who)
        {
            return Error.NotFound("card").ToProblem();
        }
        var result = await ledger.RedeemAsync(who.MerchantId, who.MemberId, r.RewardId, key, ct);
        if (result.TryGet(out var code, out _))
        {
            await outbox.EmitAsync(who.MerchantId, "reward.redeemed", new { member = who.MemberId, reward = code.RewardId, code = code.Code, cost = code.Cost }, "redeemed:" + code.Code, ct);
        }
        return result.ToHttp();
    }

    private static async Task<Results<Ok<ConsentState>, ProblemHttpResult>> ConsentAsync(string card, string purpose, ConsentRequest r, Members.Members members, CancellationToken ct) =>
        await CardOwnerAsync(card, members, ct) is { } who ? (await members.SetConsentAsync(who.MemberId, purpose, r.Granted, ct)).ToHttp() : Error.NotFound("card").ToProblem();

    private static async Task<Results<FileContentHttpResult, NotFound>> ExportAsync(string card, string? format, Members.Members members, CancellationToken ct)
    {
        if (await CardOwnerAsync(card, members, ct) is not { } who)
        {
            return TypedResults.NotFound();
        }
        if (string.Equals(format, "csv", StringComparison.OrdinalIgnoreCase))
        {
            return TypedResults.File(Encoding.UTF8.GetBytes(await members.ExportCsvAsync(who.MemberId, ct)), "text/csv", "my-loyalty-data.csv");
        }
        using var doc = await members.ExportJsonAsync(who.MerchantId, who.MemberId, ct);
        return TypedResults.File(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(doc.RootElement), "application/json", "my-loyalty-data.json");
    }

    private static async Task<Results<Ok<object>, ProblemHttpResult>> EraseAsync(string card, Members.Members members, CancellationToken ct) =>
        await CardOwnerAsync(card, members, ct) is { } who
            ? (await members.EraseAsync(who.MerchantId, who.MemberId, ct)).Map(p => (object)new { erased = true, pseudonym = p }).ToHttp()
            : Error.NotFound("card").ToProblem();

    internal static string Money(decimal eur) => eur.ToString("0.00", CultureInfo.InvariantCulture);
}
