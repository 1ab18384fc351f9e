// The Socle server: `dotnet run --project src/Host` serves http://localhost:5080 with SQLite in ./data/.
// Options: --modules voting,heat (a subset), --Socle:Storage:ConnectionString "Host=...;Database=..." (PostgreSQL).
using Socle.Host;
using Socle.Platform.Hosting;

return await SocleApp.Build(args).RunSocleAsync();

/// <summary>Entry point, visible to integration tests (WebApplicationFactory).</summary>
public partial class Program;
