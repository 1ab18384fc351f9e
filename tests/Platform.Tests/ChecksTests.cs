using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Socle.Platform.Hosting;

namespace Socle.Platform.Tests;

public class ChecksTests
{
    [Fact]
    public void Every_field_at_fault_is_named_with_its_reason()
    {
        var checks = new Checks()
            .Require("", "name")
            .Positive(-3, "capacity_kw")
            .Range(150, "efficiency_pct", 0, 100)
            .Positive(12, "length_m");
        Assert.True(checks.Failed);
        var error = checks.ToError();
        Assert.Equal(ErrorKind.Validation, error.Kind);
        Assert.Equal(400, error.HttpStatus);
        Assert.Equal(2, error.ExitCode);
        Assert.Equal(["name", "capacity_kw", "efficiency_pct"], error.Fields!.Keys);
        Assert.Equal("must be a positive number", error.Fields["capacity_kw"][0]);
        Assert.Contains("efficiency_pct: must be between 0 and 100", error.Message);
    }

    [Fact]
    public void A_result_holds_a_value_or_an_error_never_both()
    {
        Result<int> ok = 42;
        Result<int> failed = Error.NotFound("Election abc");
        Assert.True(ok.IsSuccess);
        Assert.Equal(43, ok.Map(v => v + 1).Value);
        Assert.False(failed.IsSuccess);
        Assert.Equal("Election abc was not found.", failed.Error.Message);
        Assert.Throws<InvalidOperationException>(() => failed.Value);
    }

    private sealed class SampleOptions
    {
        [System.ComponentModel.DataAnnotations.Range(1, 64)]
        public int MaxParallel { get; set; } = 4;
    }

    [Fact]
    public void A_wrong_setting_stops_the_start_and_names_its_key()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection([new("Socle:Sample:MaxParallel", "0")]);
        builder.AddValidatedOptions<SampleOptions>("Socle:Sample");
        using var host = builder.Build();
        var e = Assert.Throws<OptionsValidationException>(() => host.Services.GetRequiredService<IOptions<SampleOptions>>().Value);
        Assert.Contains("Socle:Sample:MaxParallel", e.Message);
        Assert.Contains("between 1 and 64", e.Message);
    }

    [Fact]
    public void A_connection_string_naming_no_store_stops_the_start()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection([new("Socle:Storage:ConnectionString", "Foo=bar")]);
        builder.AddSoclePlatform();
        using var host = builder.Build();
        var e = Assert.Throws<OptionsValidationException>(() => host.Services.GetRequiredService<IOptions<StorageOptions>>().Value);
        Assert.Contains("Socle:Storage:ConnectionString", e.Message);
    }
}
