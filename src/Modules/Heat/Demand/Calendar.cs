namespace Socle.Modules.Heat.Demand;

/// <summary>Days of a year: weekday, and French public holidays (counted as Sundays in load profiles, as BDEW does).</summary>
public static class Calendar
{
    /// <summary>Day type per day of the (365-day) year: 0 Monday … 6 Sunday, public holidays as 6.</summary>
    public static int[] DayTypes(int year)
    {
        var holidays = Holidays(year);
        var types = new int[365];
        var start = new DateOnly(year, 1, 1);
        for (var d = 0; d < 365; d++)
        {
            var date = start.AddDays(d);
            types[d] = holidays.Contains(date) ? 6 : ((int)date.DayOfWeek + 6) % 7;
        }
        return types;
    }

    /// <summary>The eleven French public holidays: eight fixed dates and Easter Monday, Ascension and Whit Monday.</summary>
    public static HashSet<DateOnly> Holidays(int year)
    {
        var easter = EasterSunday(year);
        return
        [
            new(year, 1, 1), new(year, 5, 1), new(year, 5, 8), new(year, 7, 14), new(year, 8, 15), new(year, 11, 1),
            new(year, 11, 11), new(year, 12, 25), easter.AddDays(1), easter.AddDays(39), easter.AddDays(50),
        ];
    }

    /// <summary>Easter Sunday, Gregorian calendar (the anonymous algorithm of Meeus).</summary>
    public static DateOnly EasterSunday(int year)
    {
        var a = year % 19;
        var b = year / 100;
        var c = year % 100;
        var d = b / 4;
        var e = b % 4;
        var f = (b + 8) / 25;
        var g = (b - f + 1) / 3;
        var h = (19 * a + b - d - g + 15) % 30;
        var i = c / 4;
        var k = c % 4;
        var l = (32 + 2 * e + 2 * i - h - k) % 7;
        var m = (a + 11 * h + 22 * l) / 451;
        var month = (h + l - 7 * m + 114) / 31;
        var day = (h + l - 7 * m + 114) % 31 + 1;
        return new DateOnly(year, month, day);
    }
}
