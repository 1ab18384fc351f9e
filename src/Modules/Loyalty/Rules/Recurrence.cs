using System.Globalization;

namespace Socle.Modules.Loyalty.Rules;

/// <summary>
/// A time window that repeats: a first start (local wall-clock time in a time zone), a duration, and an iCalendar
/// recurrence rule (RFC 5545 RRULE subset: FREQ=DAILY|WEEKLY|MONTHLY|YEARLY, INTERVAL, BYDAY — with ordinals such as
/// 1MO or -1FR for MONTHLY —, BYMONTHDAY, COUNT, UNTIL; weeks start on Monday). Without a rule the window happens once.
/// Square's loyalty promotions describe their schedules the same way (a VEVENT with DTSTART, DURATION and RRULE).
/// </summary>
public sealed class Recurrence
{
    private readonly DateTime _start;
    private readonly TimeSpan _duration;
    private readonly TimeZoneInfo _zone;
    private readonly string _freq = "";
    private readonly int _interval = 1;
    private readonly List<(int Ordinal, DayOfWeek Day)> _byDay = [];
    private readonly List<int> _byMonthDay = [];
    private readonly int? _count;
    private readonly DateTime? _until;

    private Recurrence(DateTime start, TimeSpan duration, TimeZoneInfo zone)
    {
        _start = start;
        _duration = duration;
        _zone = zone;
    }

    /// <summary>Parses a window; returns the reason when the text is not valid.</summary>
    public static bool TryCreate(DateTime startLocal, TimeSpan duration, string? rrule, string timeZone, out Recurrence recurrence, out string? error)
    {
        recurrence = null!;
        error = null;
        if (duration <= TimeSpan.Zero)
        {
            error = "duration must be positive";
            return false;
        }
        if (Zone(timeZone) is not { } zone)
        {
            error = $"unknown time zone '{timeZone}'";
            return false;
        }
        var r = new Recurrence(DateTime.SpecifyKind(startLocal, DateTimeKind.Unspecified), duration, zone);
        if (!string.IsNullOrWhiteSpace(rrule))
        {
            var text = rrule.Trim();
            if (text.StartsWith("RRULE:", StringComparison.OrdinalIgnoreCase))
            {
                text = text[6..];
            }
            var parts = text.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var part in parts)
            {
                var kv = part.Split('=', 2);
                if (kv.Length != 2)
                {
                    error = $"'{part}' is not NAME=VALUE";
                    return false;
                }
                values[kv[0].ToUpperInvariant()] = kv[1].ToUpperInvariant();
            }
            if (!values.TryGetValue("FREQ", out var freq) || freq is not ("DAILY" or "WEEKLY" or "MONTHLY" or "YEARLY"))
            {
                error = "FREQ must be DAILY, WEEKLY, MONTHLY or YEARLY";
                return false;
            }
            var unknown = values.Keys.Except(["FREQ", "INTERVAL", "BYDAY", "BYMONTHDAY", "COUNT", "UNTIL", "WKST"]).ToList();
            if (unknown.Count > 0)
            {
                error = $"unsupported RRULE part {unknown[0]}";
                return false;
            }
            int interval = 1, count = 0;
            if (values.TryGetValue("INTERVAL", out var iv) && (!int.TryParse(iv, CultureInfo.InvariantCulture, out interval) || interval < 1 || interval > 1000))
            {
                error = "INTERVAL must be a whole number from 1 to 1000";
                return false;
            }
            if (values.TryGetValue("COUNT", out var cv) && (!int.TryParse(cv, CultureInfo.InvariantCulture, out count) || count < 1 || count > 10_000))
            {
                error = "COUNT must be a whole number from 1 to 10000";
                return false;
            }
            DateTime? until = null;
            if (values.TryGetValue("UNTIL", out var uv))
            {
                if (!DateTime.TryParseExact(uv, ["yyyyMMdd'T'HHmmss'Z'", "yyyyMMdd'T'HHmmss", "yyyyMMdd"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var u))
                {
                    error = "UNTIL must be yyyyMMdd or yyyyMMddTHHmmss[Z]";
                    return false;
                }
                until = uv.EndsWith('Z') ? TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(u, DateTimeKind.Utc), zone) : (uv.Length == 8 ? u.AddDays(1).AddTicks(-1) : u);
            }
            if (values.TryGetValue("BYDAY", out var bd))
            {
                foreach (var d in bd.Split(',', StringSplitOptions.RemoveEmptyEntries))
                {
                    if (d.Length < 2 || !TryDay(d[^2..], out var day) || (d.Length > 2 && (!int.TryParse(d[..^2], CultureInfo.InvariantCulture, out var ord) || ord == 0 || Math.Abs(ord) > 5)))
                    {
                        error = $"BYDAY '{d}' is not a day such as MO, TU, 1MO or -1FR";
                        return false;
                    }
                    var ordinal = d.Length > 2 ? int.Parse(d[..^2], CultureInfo.InvariantCulture) : 0;
                    if (ordinal != 0 && freq != "MONTHLY")
                    {
                        error = "BYDAY ordinals (1MO, -1FR) are only supported with FREQ=MONTHLY";
                        return false;
                    }
                    r._byDay.Add((ordinal, day));
                }
            }
            if (values.TryGetValue("BYMONTHDAY", out var bmd))
            {
                foreach (var d in bmd.Split(',', StringSplitOptions.RemoveEmptyEntries))
                {
                    if (!int.TryParse(d, CultureInfo.InvariantCulture, out var n) || n < 1 || n > 31)
                    {
                        error = $"BYMONTHDAY '{d}' must be 1 to 31";
                        return false;
                    }
                    r._byMonthDay.Add(n);
                }
            }
            recurrence = r.With(freq, interval, count == 0 ? null : count, until);
            return true;
        }
        recurrence = r;
        return true;
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, TimeZoneInfo?> Zones = new(StringComparer.Ordinal);

    /// <summary>A time zone by IANA id, or null; looked up once.</summary>
    public static TimeZoneInfo? Zone(string id) => Zones.GetOrAdd(id, static id =>
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id);
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return null;
        }
    });

    private Recurrence With(string freq, int interval, int? count, DateTime? until)
    {
        var copy = new Recurrence(_start, _duration, _zone, freq, interval, count, until);
        copy._byDay.AddRange(_byDay);
        copy._byMonthDay.AddRange(_byMonthDay);
        return copy;
    }

    private Recurrence(DateTime start, TimeSpan duration, TimeZoneInfo zone, string freq, int interval, int? count, DateTime? until)
        : this(start, duration, zone)
    {
        _freq = freq;
        _interval = interval;
        _count = count;
        _until = until;
    }

    private static bool TryDay(string code, out DayOfWeek day)
    {
        (var ok, day) = code switch
        {
            "MO" => (true, DayOfWeek.Monday),
            "TU" => (true, DayOfWeek.Tuesday),
            "WE" => (true, DayOfWeek.Wednesday),
            "TH" => (true, DayOfWeek.Thursday),
            "FR" => (true, DayOfWeek.Friday),
            "SA" => (true, DayOfWeek.Saturday),
            "SU" => (true, DayOfWeek.Sunday),
            _ => (false, DayOfWeek.Sunday),
        };
        return ok;
    }

    /// <summary>The start (UTC) of the occurrence that contains <paramref name="instant"/>, or null when none does.</summary>
    public DateTimeOffset? OccurrenceAt(DateTimeOffset instant)
    {
        var local = TimeZoneInfo.ConvertTime(instant, _zone).DateTime;
        var firstDate = DateOnly.FromDateTime(local - _duration);
        for (var date = DateOnly.FromDateTime(local); date >= firstDate; date = date.AddDays(-1))
        {
            var startLocal = date.ToDateTime(TimeOnly.FromDateTime(_start));
            if (startLocal > local || startLocal + _duration <= local || !Matches(date) || (_until is { } u && startLocal > u))
            {
                continue;
            }
            if (_count is { } count && IndexOf(date) >= count)
            {
                continue;
            }
            return new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(startLocal, _zone), TimeSpan.Zero);
        }
        return null;
    }

    public bool IsActive(DateTimeOffset instant) => OccurrenceAt(instant) is not null;

    private bool Matches(DateOnly date)
    {
        var start = DateOnly.FromDateTime(_start);
        if (date < start)
        {
            return false;
        }
        if (_freq.Length == 0)
        {
            return date == start;
        }
        switch (_freq)
        {
            case "DAILY":
                return (date.DayNumber - start.DayNumber) % _interval == 0 && (_byDay.Count == 0 || _byDay.Any(d => d.Day == date.DayOfWeek));
            case "WEEKLY":
                var weeks = (WeekStart(date).DayNumber - WeekStart(start).DayNumber) / 7;
                return weeks % _interval == 0 && (_byDay.Count == 0 ? date.DayOfWeek == start.DayOfWeek : _byDay.Any(d => d.Day == date.DayOfWeek));
            case "MONTHLY":
                var months = (date.Year - start.Year) * 12 + date.Month - start.Month;
                if (months % _interval != 0)
                {
                    return false;
                }
                if (_byMonthDay.Count > 0)
                {
                    return _byMonthDay.Contains(date.Day);
                }
                if (_byDay.Count > 0)
                {
                    var daysInMonth = DateTime.DaysInMonth(date.Year, date.Month);
                    var nth = (date.Day - 1) / 7 + 1;
                    var nthFromEnd = -((daysInMonth - date.Day) / 7 + 1);
                    return _byDay.Any(d => d.Day == date.DayOfWeek && (d.Ordinal == 0 || d.Ordinal == nth || d.Ordinal == nthFromEnd));
                }
                return date.Day == start.Day;
            default: // YEARLY
                return (date.Year - start.Year) % _interval == 0 && date.Month == start.Month && date.Day == start.Day;
        }
    }

    /// <summary>How many occurrences come before the one on <paramref name="date"/> (used by COUNT only).</summary>
    private int IndexOf(DateOnly date)
    {
        var n = 0;
        for (var d = DateOnly.FromDateTime(_start); d < date; d = d.AddDays(1))
        {
            if (Matches(d))
            {
                n++;
            }
        }
        return n;
    }

    private static DateOnly WeekStart(DateOnly d) => d.AddDays(-(((int)d.DayOfWeek + 6) % 7));
}
