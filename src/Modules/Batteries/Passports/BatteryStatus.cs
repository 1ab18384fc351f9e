namespace Socle.Modules.Batteries.Passports;

/// <summary>The battery's status as the Battery Pass model names it (DIN DKE SPEC 99100 §6.1.3.7; Annex XIII (4)(b)).</summary>
public enum BatteryStatus
{
    Original,
    Reused,
    Repurposed,
    Remanufactured,
    Waste,
}

/// <summary>Where the passport itself stands in the registry.</summary>
public enum PassportLifecycle
{
    /// <summary>The passport describes the battery and takes changes.</summary>
    Active,

    /// <summary>The battery was repurposed or remanufactured: a new passport, linked to this one, took over (Art. 77(7)).</summary>
    Superseded,

    /// <summary>The battery was recycled: the passport has ceased to exist (Art. 77(8)); its record is kept for audit.</summary>
    Ended,
}

/// <summary>A status change asked of the registry.</summary>
public enum StatusChange
{
    /// <summary>Prepared for re-use or repaired (DIN DKE SPEC 99100 records repairs as re-use): same passport.</summary>
    Reuse,

    /// <summary>Repurposed (for example from a vehicle to stationary storage): a new passport for the new operator.</summary>
    Repurpose,

    /// <summary>Remanufactured: a new passport for the new operator.</summary>
    Remanufacture,

    /// <summary>Became waste (collected, end of use): same passport, status Waste.</summary>
    Discard,

    /// <summary>Recycled: the passport ends.</summary>
    Recycle,
}

/// <summary>
/// The allowed status changes: Original → Reused / Repurposed / Remanufactured → Waste → recycled (end).
/// A battery never becomes Original again, Waste is only followed by recycling, and a superseded or ended passport takes no
/// change. Repurposing and remanufacturing create a new passport linked to its predecessor.
/// </summary>
public static class StatusTransitions
{
    public static BatteryStatus? Target(StatusChange change) => change switch
    {
        StatusChange.Reuse => BatteryStatus.Reused,
        StatusChange.Repurpose => BatteryStatus.Repurposed,
        StatusChange.Remanufacture => BatteryStatus.Remanufactured,
        StatusChange.Discard => BatteryStatus.Waste,
        StatusChange.Recycle => null,
        _ => throw new ArgumentOutOfRangeException(nameof(change)),
    };

    public static bool CreatesNewPassport(StatusChange change) => change is StatusChange.Repurpose or StatusChange.Remanufacture;

    /// <summary>Why the change is refused, or null when it is allowed.</summary>
    public static string? Refusal(BatteryStatus from, PassportLifecycle lifecycle, StatusChange change)
    {
        if (lifecycle == PassportLifecycle.Ended)
        {
            return "the passport has ended: the battery was recycled";
        }
        if (lifecycle == PassportLifecycle.Superseded)
        {
            return "the passport was superseded by a new passport after repurposing or remanufacturing; change the new one";
        }
        return (from, change) switch
        {
            (BatteryStatus.Waste, StatusChange.Recycle) => null,
            (BatteryStatus.Waste, _) => $"a waste battery can only be recycled, not {Verb(change)}",
            (_, StatusChange.Recycle) => "only a waste battery can be recycled: record it as waste first",
            _ => null,
        };
    }

    public static string Verb(StatusChange change) => change switch
    {
        StatusChange.Reuse => "re-used",
        StatusChange.Repurpose => "repurposed",
        StatusChange.Remanufacture => "remanufactured",
        StatusChange.Discard => "discarded",
        StatusChange.Recycle => "recycled",
        _ => change.ToString(),
    };

    public static bool TryParse(string? text, out StatusChange change)
    {
        change = default;
        return text?.Trim().ToLowerInvariant() switch
        {
            "reuse" or "reused" or "re-use" or "repair" => Set(StatusChange.Reuse, out change),
            "repurpose" or "repurposed" => Set(StatusChange.Repurpose, out change),
            "remanufacture" or "remanufactured" => Set(StatusChange.Remanufacture, out change),
            "discard" or "waste" => Set(StatusChange.Discard, out change),
            "recycle" or "recycled" => Set(StatusChange.Recycle, out change),
            _ => false,
        };

        static bool Set(StatusChange value, out StatusChange change)
        {
            change = value;
            return true;
        }
    }

    public static bool TryParseStatus(string? text, out BatteryStatus status) =>
        Enum.TryParse(text, ignoreCase: false, out status) && Enum.IsDefined(status);
}
