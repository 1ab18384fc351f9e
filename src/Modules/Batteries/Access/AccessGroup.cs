namespace Socle.Modules.Batteries.Access;

/// <summary>
/// Who reads a passport (Regulation (EU) 2023/1542, Art. 77(2) and Annex XIII): the public; persons with a legitimate
/// interest (repairers, recyclers, second-life operators, remanufacturers, independent operators); notified bodies and
/// market surveillance authorities; the Commission; the economic operator who holds the passport.
/// </summary>
public enum AccessGroup
{
    Public,
    LegitimateInterest,
    Authorities,
    Commission,
    Operator,
}

/// <summary>Who may read an attribute, as Annex XIII sorts the passport's content.</summary>
public enum AccessLevel
{
    /// <summary>Annex XIII (1): accessible to the public.</summary>
    Public,

    /// <summary>Annex XIII (2): persons with a legitimate interest and the Commission (detailed composition, part numbers and
    /// spare-part sources, dismantling information, safety measures).</summary>
    LegitimateInterestAndCommission,

    /// <summary>Annex XIII (3): notified bodies, market surveillance authorities and the Commission (test reports).</summary>
    AuthoritiesAndCommission,

    /// <summary>Annex XIII (4): persons with a legitimate interest only (the individual battery's state of health, status,
    /// and data from its use: cycles, negative events, temperatures, state of charge).</summary>
    LegitimateInterestOnly,
}

public static class AccessRules
{
    /// <summary>The whole rule: the operator reads everything of its own passports; the others by Annex XIII.</summary>
    public static bool CanRead(AccessGroup group, AccessLevel level) => group switch
    {
        AccessGroup.Operator => true,
        AccessGroup.Public => level == AccessLevel.Public,
        AccessGroup.LegitimateInterest => level is AccessLevel.Public or AccessLevel.LegitimateInterestAndCommission or AccessLevel.LegitimateInterestOnly,
        AccessGroup.Authorities => level is AccessLevel.Public or AccessLevel.AuthoritiesAndCommission,
        AccessGroup.Commission => level is AccessLevel.Public or AccessLevel.LegitimateInterestAndCommission or AccessLevel.AuthoritiesAndCommission,
        _ => false,
    };

    /// <summary>Whether the group may see the battery's status and what follows from it (its predecessor and successor passports,
    /// the end of the passport after recycling): Annex XIII (4)(b) makes the status individual data.</summary>
    public static bool CanSeeStatus(AccessGroup group) => group is AccessGroup.Operator or AccessGroup.LegitimateInterest;

    public static string Code(this AccessGroup group) => group switch
    {
        AccessGroup.Public => "public",
        AccessGroup.LegitimateInterest => "legitimate-interest",
        AccessGroup.Authorities => "authorities",
        AccessGroup.Commission => "commission",
        AccessGroup.Operator => "operator",
        _ => throw new ArgumentOutOfRangeException(nameof(group)),
    };

    public static bool TryParseGroup(string? code, out AccessGroup group)
    {
        foreach (var g in Enum.GetValues<AccessGroup>())
        {
            if (string.Equals(g.Code(), code, StringComparison.OrdinalIgnoreCase) || string.Equals(g.ToString(), code, StringComparison.OrdinalIgnoreCase))
            {
                group = g;
                return true;
            }
        }
        group = AccessGroup.Public;
        return false;
    }

    public static string Code(this AccessLevel level) => level switch
    {
        AccessLevel.Public => "public",
        AccessLevel.LegitimateInterestAndCommission => "legitimate-interest-and-commission",
        AccessLevel.AuthoritiesAndCommission => "authorities-and-commission",
        AccessLevel.LegitimateInterestOnly => "legitimate-interest",
        _ => throw new ArgumentOutOfRangeException(nameof(level)),
    };

    public static (string Fr, string En) Label(this AccessGroup group) => group switch
    {
        AccessGroup.Public => ("Public", "Public"),
        AccessGroup.LegitimateInterest => ("Intérêt légitime (réparateur, recycleur, seconde vie…)", "Legitimate interest (repairer, recycler, second life…)"),
        AccessGroup.Authorities => ("Organismes notifiés et autorités de surveillance du marché", "Notified bodies and market surveillance authorities"),
        AccessGroup.Commission => ("Commission européenne", "European Commission"),
        AccessGroup.Operator => ("Opérateur économique", "Economic operator"),
        _ => throw new ArgumentOutOfRangeException(nameof(group)),
    };

    public static (string Fr, string En) Label(this AccessLevel level) => level switch
    {
        AccessLevel.Public => ("Public", "Public"),
        AccessLevel.LegitimateInterestAndCommission => ("Intérêt légitime et Commission", "Legitimate interest and Commission"),
        AccessLevel.AuthoritiesAndCommission => ("Autorités et Commission", "Authorities and Commission"),
        AccessLevel.LegitimateInterestOnly => ("Intérêt légitime seulement", "Legitimate interest only"),
        _ => throw new ArgumentOutOfRangeException(nameof(level)),
    };
}
