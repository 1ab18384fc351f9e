using Socle.Modules.Heat.Weather;

namespace Socle.Heat.Tests.Weather;

public class TypicalYearTests
{
    [Theory]
    [InlineData("rouen")]
    [InlineData("paris")]
    [InlineData("lyon")]
    [InlineData("strasbourg")]
    [InlineData("marseille")]
    public void Monthly_means_equal_the_normals_and_the_coldest_hour_is_the_design_temperature(string id)
    {
        var climate = Climates.Find(id)!;
        var year = TypicalYear.Generate(climate);
        Assert.Equal(WeatherYear.Hours, year.Temperature_c.Length);
        var start = 0;
        for (var m = 0; m < 12; m++)
        {
            var hours = TypicalYear.DaysInMonth[m] * 24;
            var mean = year.Temperature_c.Skip(start).Take(hours).Average();
            Assert.True(Math.Abs(mean - climate.MonthlyMean_c(m)) < 0.05, $"month {m + 1}: {mean:F3} °C against the normal {climate.MonthlyMean_c(m):F2} °C");
            start += hours;
        }
        Assert.Equal(climate.Design_c, year.Temperature_c.Min(), 1e-6);
        // the daily cycle: in July the mean of 15:00 is warmer than the mean of 06:00 by about the normal range
        var july = Enumerable.Range(181, 31);
        var afternoon = july.Average(d => year.Temperature_c[d * 24 + 15]);
        var dawn = july.Average(d => year.Temperature_c[d * 24 + 6]);
        Assert.InRange(afternoon - dawn, 0.7 * (climate.Tmax_c[6] - climate.Tmin_c[6]), 1.2 * (climate.Tmax_c[6] - climate.Tmin_c[6]));
    }

    [Fact]
    public void The_year_is_deterministic_and_its_irradiation_matches_the_monthly_totals()
    {
        var climate = Climates.Find("lyon")!;
        var a = TypicalYear.Generate(climate);
        var b = TypicalYear.Generate(climate);
        Assert.Equal(a.Temperature_c, b.Temperature_c);
        var annual = a.Ghi_w_per_m2.Sum() / 1000;
        Assert.InRange(annual, 0.9 * climate.Ghi_kwh_per_m2.Sum(), 1.0 * climate.Ghi_kwh_per_m2.Sum() + 1);
        Assert.All(a.Ghi_w_per_m2.Where((g, h) => h % 24 is 0 or 1 or 23), g => Assert.Equal(0, g)); // night
    }

    [Fact]
    public void Degree_days_follow_the_climates_from_mild_to_cold()
    {
        double Dju(string id) => TypicalYear.Generate(Climates.Find(id)!).DegreeHours(18) / 24;
        var marseille = Dju("marseille");
        var paris = Dju("paris");
        var rouen = Dju("rouen");
        var strasbourg = Dju("strasbourg");
        Assert.True(marseille < paris && paris < rouen && rouen < strasbourg, $"{marseille} {paris} {rouen} {strasbourg}");
        // orders of magnitude of French heating degree-days (base 18): about 1,500 in Marseille, 2,800–3,000 in the north-east
        Assert.InRange(marseille, 1200, 2000);
        Assert.InRange(strasbourg, 2700, 3400);
    }

    [Fact]
    public void A_weather_file_with_missing_hours_is_refused_naming_where_it_stops()
    {
        var lines = string.Join('\n', Enumerable.Range(0, 8000).Select(h => "5.0"));
        var result = WeatherYear.FromCsv("x", "temperature_c\n" + lines, 49);
        Assert.False(result.IsSuccess);
        Assert.Contains("missing weather", result.Error!.Message);
        Assert.Contains("760 hour(s) missing", result.Error.Message);
    }

    [Fact]
    public void A_weather_file_with_an_empty_value_names_the_line()
    {
        var rows = Enumerable.Range(0, 8760).Select(h => h == 100 ? "2025-01-05T04:00," : $"x,{3.5 + h % 5}").ToList();
        var result = WeatherYear.FromCsv("x", "time,temperature_c\n" + string.Join('\n', rows), 49);
        Assert.False(result.IsSuccess);
        Assert.Contains("line 102", result.Error!.Message);
        Assert.Contains("hour 100", result.Error.Message);
    }

    [Fact]
    public void A_complete_file_round_trips()
    {
        var year = TypicalYear.Generate(Climates.Find("paris")!);
        var back = WeatherYear.FromCsv("paris", year.ToCsv(), 48.8);
        Assert.True(back.IsSuccess, back.Error?.Message);
        Assert.Equal(year.Temperature_c[4000], back.Value.Temperature_c[4000], 0.01);
    }
}
