using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Socle.Modules.Voting.Api;
using Socle.Modules.Voting.Boards;
using Socle.Modules.Voting.Cli;
using Socle.Modules.Voting.Demo;
using Socle.Modules.Voting.Verification;
using Socle.Platform.Hosting;
using Socle.Platform.Web;

namespace Socle.Modules.Voting;

/// <summary>
/// The Voting module: end-to-end verifiable elections following the Belenios protocol. This step (Voting I) delivers
/// the cryptographic core, the Belenios records, the verifier anyone can run (web page, API, <c>socle vote verify</c>)
/// and the offline election tool (<c>socle vote …</c>).
/// </summary>
public static class VotingModule
{
    public static IHostApplicationBuilder AddVoting(this IHostApplicationBuilder builder)
    {
        builder.AddValidatedOptions<VotingOptions>(VotingOptions.Section);
        builder.Services.AddSingleton<BoardStore>();
        builder.Services.AddSingleton<VerificationService>();
        builder.Services.AddSingleton<Service.ElectionStore>();
        builder.Services.AddSingleton<Service.IVotingMailer, Service.SmtpVotingMailer>();
        builder.Services.AddSingleton<Service.ElectionService>();
        builder.Services.AddHostedService<Service.IntegrityMonitor>();
        builder.Services.AddSingleton<Platform.Hosting.IDemoData, VotingDemoData>();
        builder.AddMigrations("voting", typeof(VotingModule).Assembly);
        return builder;
    }

    public static IEndpointRouteBuilder MapVoting(this IEndpointRouteBuilder endpoints)
    {
        VotingApi.Map(endpoints);
        ElectionsApi.Map(endpoints);
        ComplianceApi.Map(endpoints);
        return endpoints;
    }

    public static readonly SocleModule Descriptor = new()
    {
        Name = "voting",
        Title = new LocalizedText("Vote", "Voting"),
        Summary = new LocalizedText(
            "Élections par internet vérifiables de bout en bout, compatibles Belenios et conformes à la recommandation CNIL de 2019. Chacun peut vérifier une urne, ici ou avec l'outil de Belenios.",
            "End-to-end verifiable internet elections, compatible with Belenios and the CNIL 2019 recommendation. Anyone can verify a ballot box, here or with Belenios' own tool."),
        Path = "/voting",
        Add = b => b.AddVoting(),
        Map = e => e.MapVoting(),
        Cli = VoteCommands.Create,
        Pages = typeof(VotingModule).Assembly,
    };
}
