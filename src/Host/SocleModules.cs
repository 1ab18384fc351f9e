using Socle.Modules.Batteries;
using Socle.Modules.Heat;
using Socle.Modules.Loyalty;
using Socle.Modules.Voting;
using Socle.Platform.Hosting;

namespace Socle.Host;

/// <summary>Every module this build of Socle knows, in navigation order. A module is listed here when its issue delivers it.</summary>
public static class SocleModules
{
    public static readonly IReadOnlyList<SocleModule> All =
    [
        VotingModule.Descriptor,
        HeatModule.Descriptor,
        BatteriesModule.Descriptor,
        LoyaltyModule.Descriptor,
    ];
}
