using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Socle.Browser.Tests;

/// <summary>The election API as the browser tests drive it around the pages: calls that must succeed, with a bearer token.</summary>
internal sealed class ElectionApi(Uri baseAddress) : IDisposable
{
    public static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    public HttpClient Http { get; } = new() { BaseAddress = baseAddress, Timeout = TimeSpan.FromMinutes(2) };

    /// <summary>The answer's JSON (default when empty); fails the test with the server's problem otherwise.</summary>
    public static async Task<JsonElement> Ok(Task<HttpResponseMessage> call)
    {
        var r = await call;
        var text = await r.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(r.IsSuccessStatusCode, text);
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    public Task<JsonElement> Send(string token, HttpMethod method, string path, HttpContent? content = null) =>
        Ok(Http.SendAsync(new HttpRequestMessage(method, "/api/voting/elections" + path)
        {
            Content = content,
            Headers = { Authorization = new AuthenticationHeaderValue("Bearer", token) },
        }, TestContext.Current.CancellationToken));

    /// <summary>Creates an election from its definition (anonymous object, web JSON names); its id and the bureau's token.</summary>
    public async Task<(string Id, string Admin)> CreateAsync(object definition)
    {
        var created = await Ok(Http.PostAsJsonAsync("/api/voting/elections", definition, Web, TestContext.Current.CancellationToken));
        return (created.GetProperty("id").GetString()!, created.GetProperty("adminToken").GetString()!);
    }

    public void Dispose() => Http.Dispose();
}
