using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Socle.Modules.Voting.Crypto;
using Socle.Modules.Voting.Elections;
using Socle.Modules.Voting.Records;
using Socle.Modules.Voting.Service;

namespace Socle.Voting.Tests;

/// <summary>A mailer that keeps what it would send, for tests (codes and credentials are read from it).</summary>
public sealed class CapturingMailer : IVotingMailer
{
    public ConcurrentQueue<(string To, string Subject, string Body)> Sent { get; } = new();

    public bool Available => true;

    public Task SendAsync(string to, string subject, string body, CancellationToken ct)
    {
        Sent.Enqueue((to, subject, body));
        return Task.CompletedTask;
    }

    public string LastCodeFor(string to) =>
        System.Text.RegularExpressions.Regex.Match(Sent.Last(m => m.To == to && m.Subject.Contains("code de connexion", StringComparison.Ordinal)).Body, @"\b\d{8}\b").Value;
}

/// <summary>
/// Drives an election through the HTTP API as its actors would: the bureau (with its token), the trustees (keys and
/// partial decryptions computed here as their browsers would), the credential authority, and the voters (ballots
/// encrypted here with the C# encryption the booth mirrors).
/// </summary>
public sealed class ElectionDriver(HttpClient client)
{
    public static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    public HttpClient Client { get; } = client;

    public string Id { get; private set; } = "";

    public string AdminToken { get; private set; } = "";

    public Dictionary<string, (string Credential, string? Password)> Credentials { get; } = new(StringComparer.Ordinal);

    public List<(string Token, Group Group, System.Numerics.BigInteger PrivateKey)> Trustees { get; } = [];

    /// <summary>The same election and bureau token, through another server.</summary>
    public ElectionDriver With(HttpClient other) => new(other) { Id = Id, AdminToken = AdminToken };

    public static ElectionDefinition Definition(string group = "Ed25519", bool revote = true, string auth = "password") => new(
        "Élection du CSE 2026", "Collège cadres — premier tour",
        [
            new QuestionDefinition("Liste", ["Liste A — Union", "Liste B — Avenir", "Liste C — Ensemble"], Blank: true),
            new QuestionDefinition("Approuvez-vous le règlement ?", ["Oui", "Non"], Min: 1, Max: 1),
        ],
        Notice: "Vote du 1er au 3 décembre.", Group: group, Revote: revote, VoterAuthentication: auth);

    public HttpRequestMessage Request(HttpMethod method, string path, string? bearer = null, HttpContent? content = null)
    {
        var r = new HttpRequestMessage(method, $"/api/voting/elections{path}") { Content = content };
        if (bearer is not null)
        {
            r.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }
        return r;
    }

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? bearer = null, HttpContent? content = null) =>
        await Client.SendAsync(Request(method, path, bearer, content), TestContext.Current.CancellationToken);

    public Task<HttpResponseMessage> Bureau(HttpMethod method, string path, HttpContent? content = null) => SendAsync(method, $"/{Id}{path}", AdminToken, content);

    public static async Task<JsonElement> OkJson(HttpResponseMessage r)
    {
        var text = await r.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(r.IsSuccessStatusCode, $"{(int)r.StatusCode} {r.RequestMessage?.RequestUri}: {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    public async Task CreateAsync(ElectionDefinition definition, string voterCsv)
    {
        var created = await OkJson(await Client.PostAsJsonAsync("/api/voting/elections", definition, Web, TestContext.Current.CancellationToken));
        Id = created.GetProperty("id").GetString()!;
        AdminToken = created.GetProperty("adminToken").GetString()!;
        await OkJson(await Bureau(HttpMethod.Post, "/voters", new StringContent(voterCsv, Encoding.UTF8, "text/csv")));
    }

    /// <summary>Trustees join, setup starts, each trustee makes a key "in the browser" and uploads it.</summary>
    public async Task SetupAsync(int trustees, Group group)
    {
        var tokens = new List<string>();
        for (var i = 0; i < trustees; i++)
        {
            var t = await OkJson(await Bureau(HttpMethod.Post, "/trustees", JsonContent.Create(new { name = $"Assesseur {i + 1}", email = $"t{i + 1}@example.org" })));
            tokens.Add(t.GetProperty("token").GetString()!);
        }
        await OkJson(await Bureau(HttpMethod.Post, "/setup"));
        foreach (var token in tokens)
        {
            var key = TrusteeKeys.GenerateSingle(group);
            await OkJson(await SendAsync(HttpMethod.Post, $"/{Id}/trustee/key", token, new StringContent(key.PublicKey.ToJson(), Encoding.UTF8, "application/json")));
            Trustees.Add((token, group, key.PrivateKey));
        }
    }

    /// <summary>The credential authority delivers by file (postal delivery); the test keeps the file as voters would receive it.</summary>
    public async Task CredentialsByFileAsync()
    {
        var d = await OkJson(await Bureau(HttpMethod.Post, "/credentials", JsonContent.Create(new { channel = "file" })));
        foreach (var line in d.GetProperty("file").GetString()!.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1))
        {
            var f = line.Split(',');
            Credentials[f[0]] = (f[^2], f[^1].Length > 0 ? f[^1] : null); // the name may hold a quoted comma
        }
    }

    public async Task<ElectionRecord> OpenAsync()
    {
        await OkJson(await Bureau(HttpMethod.Post, "/open"));
        var r = await Client.GetStringAsync($"/api/voting/elections/{Id}/election.json", TestContext.Current.CancellationToken);
        return ElectionRecord.Parse(r);
    }

    public async Task<string> LoginAsync(string voterId, string? secret = null)
    {
        var s = await OkJson(await SendAsync(HttpMethod.Post, $"/{Id}/login", null, JsonContent.Create(new { voterId, secret = secret ?? Credentials[voterId].Password })));
        return s.GetProperty("token").GetString()!;
    }

    public static string Encrypt(ElectionRecord election, string credential, params int[][] choice) =>
        BallotEncryption.Encrypt(election, credential, choice.Select(c => (IReadOnlyList<int>)c).ToList()).Raw;

    public Task<HttpResponseMessage> CastAsync(string session, string ballot, string? key = null)
    {
        var r = Request(HttpMethod.Post, $"/{Id}/ballots", session, new StringContent(ballot, Encoding.UTF8, "application/json"));
        if (key is not null)
        {
            r.Headers.Add("Idempotency-Key", key);
        }
        return Client.SendAsync(r, TestContext.Current.CancellationToken);
    }

    /// <summary>Each trustee decrypts the published tally "in their browser" and uploads it.</summary>
    public async Task<JsonElement> DecryptAsync(ElectionRecord election)
    {
        JsonElement last = default;
        foreach (var (token, group, x) in Trustees)
        {
            var task = await OkJson(await SendAsync(HttpMethod.Get, $"/{Id}/trustee", token));
            var tally = EncryptedTally.Parse(task.GetProperty("encryptedTallyJson").GetString()!, group);
            var pd = Tallying.Decrypt(election, tally, x).ToJson();
            last = await OkJson(await SendAsync(HttpMethod.Post, $"/{Id}/trustee/decryption", token, new StringContent(pd, Encoding.UTF8, "application/json")));
        }
        return last;
    }

    public async Task<byte[]> BoardAsync() => await Client.GetByteArrayAsync($"/api/voting/elections/{Id}/board", TestContext.Current.CancellationToken);

    public static async Task<string> ProblemCode(HttpResponseMessage r, HttpStatusCode expected)
    {
        var text = await r.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(r.StatusCode == expected, $"expected {(int)expected}, got {(int)r.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.GetProperty("code").GetString()!;
    }
}
