using System.Globalization;

namespace Socle.Platform.Storage;

/// <summary>
/// Small helpers for SQL that must read the same on both providers.
/// Convention: identifiers are TEXT, instants are TEXT in <see cref="TimeFormat"/> (UTC, microseconds), money is TEXT or NUMERIC
/// decimal strings, counts are BIGINT. These sort and compare the same way on SQLite and PostgreSQL.
/// </summary>
public static class Sql
{
    /// <summary>ISO 8601 UTC with microseconds — PostgreSQL's precision, sortable as text.</summary>
    public const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'";

    public static string Time(DateTimeOffset instant) =>
        instant.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture);

    public static DateTimeOffset ParseTime(string text) =>
        DateTimeOffset.ParseExact(text, TimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    /// <summary>Truncates an instant to the microsecond, so that what is stored is what is read back.</summary>
    public static DateTimeOffset TruncateToMicroseconds(DateTimeOffset instant) =>
        new(instant.UtcTicks - (instant.UtcTicks % 10), TimeSpan.Zero);

    /// <summary><c>FOR UPDATE</c> on PostgreSQL; nothing on SQLite, whose write transactions already hold the database lock.</summary>
    public static string ForUpdate(this Database db) => db.IsPostgres ? " FOR UPDATE" : "";
}
