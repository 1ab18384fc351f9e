using System.Net.Mail;
using System.Security.Cryptography;
using System.Text;
using Dapper;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Socle.Platform.Storage;

namespace Socle.Modules.Loyalty.Members;

public sealed record OutboxMessage(string Id, string Kind, string Subject, string Body, string Status, string CreatedAt);

/// <summary>
/// Messages to members (personalised offers, surprises) and webhooks to the merchant, written in the same transaction as
/// what caused them (or with a dedupe key) and delivered by the background sweep: on the member page always, by e-mail
/// when an SMTP server is set and the member gave marketing consent, and to the merchant's webhook signed with
/// HMAC-SHA256 (<c>X-Socle-Signature: t=&lt;unix time&gt;,v1=&lt;hex of HMAC(secret, t + "." + body)&gt;</c>).
/// </summary>
public sealed class Outbox(Database db, TimeProvider time, IHttpClientFactory http, IOptions<LoyaltyOptions> options, ILogger<Outbox> logger)
{
    public async Task<bool> EnqueueAsync(string merchantId, string? memberId, string channel, string kind, string subject, string body, string dedupeKey, CancellationToken ct = default)
    {
        var now = Sql.Time(time.GetUtcNow());
        await using var c = await db.OpenAsync(ct);
        return await c.ExecuteAsync(new CommandDefinition(
            "INSERT INTO loyalty_outbox (id, merchant_id, member_id, channel, kind, subject, body, status, attempts, next_attempt_at, created_at, dedupe_key) " +
            "VALUES (@id, @merchantId, @memberId, @channel, @kind, @subject, @body, 'pending', 0, @now, @now, @dedupeKey) ON CONFLICT (dedupe_key) DO NOTHING",
            new { id = MemberCode.NewId("msg"), merchantId, memberId, channel, kind, subject, body, now, dedupeKey }, cancellationToken: ct)) == 1;
    }

    /// <summary>
    /// Queues an event for the merchant's webhook, when one is set (nothing otherwise). Called after the change committed;
    /// the dedupe key makes a repeated call harmless.
    /// </summary>
    public async Task EmitAsync(string merchantId, string kind, object payload, string dedupeKey, CancellationToken ct = default)
    {
        await using (var c = await db.OpenAsync(ct))
        {
            var url = await c.QuerySingleOrDefaultAsync<string?>(new CommandDefinition(
                "SELECT webhook_url FROM loyalty_merchants WHERE id = @merchantId", new { merchantId }, cancellationToken: ct));
            if (url is null)
            {
                return;
            }
        }
        var body = System.Text.Json.JsonSerializer.Serialize(new { type = kind, merchant = merchantId, at = Sql.Time(time.GetUtcNow()), data = payload },
            new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web));
        await EnqueueAsync(merchantId, null, "webhook", kind, kind, body, "webhook:" + dedupeKey, ct);
    }

    /// <summary>
    /// A personalised offer to the members who accept offers (marketing consent); when it targets an RFM segment, only to
    /// those who also accept profiling, since choosing them by their purchases is profiling. Returns how many were queued.
    /// </summary>
    public async Task<int> OfferAsync(string merchantId, string offerId, IReadOnlyCollection<string> memberIds, bool targeted, string channel, string subject, string body, CancellationToken ct = default)
    {
        var queued = 0;
        foreach (var memberId in memberIds)
        {
            await using (var c = await db.OpenAsync(ct))
            {
                var consents = (await c.QueryAsync<(string Purpose, long Granted)>(new CommandDefinition(
                    "SELECT purpose, granted FROM loyalty_consents WHERE member_id = @memberId ORDER BY at, id", new { memberId }, cancellationToken: ct)))
                    .GroupBy(x => x.Purpose).ToDictionary(g => g.Key, g => g.Last().Granted == 1);
                if (!consents.GetValueOrDefault(Purpose.Marketing) || (targeted && !consents.GetValueOrDefault(Purpose.Profiling)))
                {
                    continue;
                }
            }
            if (await EnqueueAsync(merchantId, memberId, channel, "offer", subject, body, $"offer:{offerId}:{memberId}", ct))
            {
                queued++;
            }
        }
        return queued;
    }

    /// <summary>The messages shown on a member's page.</summary>
    public async Task<IReadOnlyList<OutboxMessage>> ForMemberAsync(string memberId, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return (await c.QueryAsync<OutboxMessage>(new CommandDefinition(
            "SELECT id, kind, subject, body, status, created_at AS CreatedAt FROM loyalty_outbox WHERE member_id = @memberId AND channel IN ('page', 'email') ORDER BY created_at DESC LIMIT 10",
            new { memberId }, cancellationToken: ct))).AsList();
    }

    public static string Signature(string secret, long unixTime, string body) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{unixTime}.{body}")));

    private sealed class Row
    {
        public string Id { get; set; } = "";
        public string MerchantId { get; set; } = "";
        public string? MemberId { get; set; }
        public string Channel { get; set; } = "";
        public string Kind { get; set; } = "";
        public string Subject { get; set; } = "";
        public string Body { get; set; } = "";
        public long Attempts { get; set; }
    }

    /// <summary>Delivers what is due; failures are retried with a growing delay (1, 2, 4 … minutes, 10 attempts).</summary>
    public async Task<int> DeliverAsync(CancellationToken ct = default)
    {
        var now = time.GetUtcNow();
        List<Row> due;
        await using (var c = await db.OpenAsync(ct))
        {
            due = (await c.QueryAsync<Row>(new CommandDefinition(
                "SELECT id, merchant_id AS MerchantId, member_id AS MemberId, channel, kind, subject, body, attempts FROM loyalty_outbox " +
                "WHERE status = 'pending' AND next_attempt_at <= @now ORDER BY created_at LIMIT 200", new { now = Sql.Time(now) }, cancellationToken: ct))).AsList();
        }
        var sent = 0;
        foreach (var m in due)
        {
            string status = "sent";
            try
            {
                if (m.Channel == "webhook")
                {
                    status = await PostWebhookAsync(m, ct) ? "sent" : "skipped";
                }
                else if (m.Channel == "email")
                {
                    status = await SendMailAsync(m, ct) ? "sent" : "shown";
                }
                else
                {
                    status = "shown";
                }
                sent++;
            }
            catch (Exception e) when (e is HttpRequestException or SmtpException or TaskCanceledException or InvalidOperationException)
            {
                Log.DeliveryFailed(logger, e, m.Id, (int)m.Attempts + 1);
                status = m.Attempts + 1 >= 10 ? "failed" : "pending";
            }
            await using var c = await db.OpenAsync(ct);
            await c.ExecuteAsync(new CommandDefinition(
                "UPDATE loyalty_outbox SET status = @status, attempts = attempts + 1, next_attempt_at = @next, sent_at = CASE WHEN @status = 'pending' THEN NULL ELSE @now END WHERE id = @Id",
                new { status, next = Sql.Time(now.AddMinutes(Math.Pow(2, m.Attempts))), now = Sql.Time(now), m.Id }, cancellationToken: ct));
        }
        return sent;
    }

    private async Task<bool> PostWebhookAsync(Row m, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        var hook = await c.QuerySingleOrDefaultAsync<(string? Url, string? Secret)>(new CommandDefinition(
            "SELECT webhook_url, webhook_secret FROM loyalty_merchants WHERE id = @MerchantId", new { m.MerchantId }, cancellationToken: ct));
        if (hook.Url is null || hook.Secret is null)
        {
            return false;
        }
        var t = time.GetUtcNow().ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, hook.Url) { Content = new StringContent(m.Body, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Socle-Event", m.Kind);
        request.Headers.Add("X-Socle-Delivery", m.Id);
        request.Headers.Add("X-Socle-Signature", $"t={t},v1={Signature(hook.Secret, t, m.Body)}");
        using var response = await http.CreateClient("loyalty-webhooks").SendAsync(request, ct);
        response.EnsureSuccessStatusCode();
        return true;
    }

    private async Task<bool> SendMailAsync(Row m, CancellationToken ct)
    {
        var o = options.Value;
        if (string.IsNullOrWhiteSpace(o.SmtpHost) || m.MemberId is null)
        {
            return false;
        }
        await using var c = await db.OpenAsync(ct);
        var email = await c.QuerySingleOrDefaultAsync<string?>(new CommandDefinition(
            "SELECT email FROM loyalty_members WHERE id = @MemberId AND erased_at IS NULL", new { m.MemberId }, cancellationToken: ct));
        var from = await c.QuerySingleOrDefaultAsync<string?>(new CommandDefinition(
            "SELECT smtp_from FROM loyalty_merchants WHERE id = @MerchantId", new { m.MerchantId }, cancellationToken: ct));
        if (email is null)
        {
            return false;
        }
        using var smtp = new SmtpClient(o.SmtpHost, o.SmtpPort);
        using var mail = new MailMessage(from ?? "no-reply@localhost", email, m.Subject, m.Body);
        await smtp.SendMailAsync(mail, ct);
        return true;
    }
}
