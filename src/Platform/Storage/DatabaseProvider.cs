namespace Socle.Platform.Storage;

/// <summary>The two stores Socle runs on. SQLite is the embedded default; PostgreSQL is the production store.</summary>
public enum DatabaseProvider
{
    Sqlite,
    Postgres,
}
