using System.Text.Json.Serialization;
using Socle.Modules.Batteries.Access;

namespace Socle.Modules.Batteries.Parties;

/// <summary>What a party is to the registry; it decides its access group.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<PartyRole>))]
public enum PartyRole
{
    /// <summary>An economic operator placing batteries on the market (manufacturer, importer, repurposer, remanufacturer).</summary>
    Operator,

    /// <summary>A person with a legitimate interest: repairer, recycler, second-life operator, independent operator…</summary>
    LegitimateInterest,

    NotifiedBody,

    MarketSurveillance,

    Commission,
}

/// <summary>Contact details, as the Battery Pass <c>ContactInformation</c> holds them, and for persons with a legitimate
/// interest what that interest is (repairer, recycler, second-life, remanufacturer, independent operator).</summary>
public sealed record PartyProfile
{
    /// <summary>The operator identifier (ESPR Art. 2(32)): a GLN, an EORI, a Catena-X BPNL, …</summary>
    public string? Identifier { get; init; }

    /// <summary>Catena-X business partner number of the legal entity (BPNL + 12 characters), used by the Catena-X export.</summary>
    public string? Bpnl { get; init; }

    /// <summary>Catena-X site number (BPNA + 12 characters) of the main manufacturing plant, used by the Catena-X export.</summary>
    public string? Bpna { get; init; }

    public string? ContactName { get; init; }

    public string? StreetAddress { get; init; }

    public string? PostalCode { get; init; }

    public string? Country { get; init; }

    public string? Email { get; init; }

    public string? WebAddress { get; init; }

    /// <summary>For persons with a legitimate interest: repairer, recycler, second-life, remanufacturer, independent-operator.</summary>
    public string? Interest { get; init; }
}

public sealed record Party(string Id, PartyRole Role, string Name, PartyProfile Profile, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt)
{
    public bool IsRecycler => Role == PartyRole.LegitimateInterest && Profile.Interest == "recycler";

    /// <summary>The access group this party reads a passport in: an operator reads its own passports in full and the
    /// others as the public does.</summary>
    public AccessGroup GroupFor(string passportOperatorId) => Role switch
    {
        PartyRole.Operator => passportOperatorId == Id ? AccessGroup.Operator : AccessGroup.Public,
        PartyRole.LegitimateInterest => AccessGroup.LegitimateInterest,
        PartyRole.NotifiedBody or PartyRole.MarketSurveillance => AccessGroup.Authorities,
        PartyRole.Commission => AccessGroup.Commission,
        _ => AccessGroup.Public,
    };

    /// <summary>The group for reading across operators (search, dashboards): never Operator.</summary>
    public AccessGroup OversightGroup => Role switch
    {
        PartyRole.LegitimateInterest => AccessGroup.LegitimateInterest,
        PartyRole.NotifiedBody or PartyRole.MarketSurveillance => AccessGroup.Authorities,
        PartyRole.Commission => AccessGroup.Commission,
        _ => AccessGroup.Public,
    };

    public static string RoleCode(PartyRole role) => role switch
    {
        PartyRole.Operator => "operator",
        PartyRole.LegitimateInterest => "legitimate-interest",
        PartyRole.NotifiedBody => "notified-body",
        PartyRole.MarketSurveillance => "market-surveillance",
        PartyRole.Commission => "commission",
        _ => throw new ArgumentOutOfRangeException(nameof(role)),
    };

    public static bool TryParseRole(string? code, out PartyRole role)
    {
        foreach (var r in Enum.GetValues<PartyRole>())
        {
            if (string.Equals(RoleCode(r), code, StringComparison.OrdinalIgnoreCase) || string.Equals(r.ToString(), code, StringComparison.OrdinalIgnoreCase))
            {
                role = r;
                return true;
            }
        }
        role = default;
        return false;
    }

    public static readonly IReadOnlyList<string> Interests = ["repairer", "recycler", "second-life", "remanufacturer", "independent-operator", "researcher"];
}
