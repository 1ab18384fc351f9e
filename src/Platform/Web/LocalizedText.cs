using System.Globalization;

namespace Socle.Platform.Web;

/// <summary>A text in French (the default) and English.</summary>
public readonly record struct LocalizedText(string Fr, string En)
{
    public override string ToString() => L.T(Fr, En);
}

/// <summary>
/// Picks the French or English text for the current request's UI culture (set by request localization from the
/// <c>socle.lang</c> cookie or <c>?lang=</c>). French is the default. Pages write <c>@L.T("Accueil", "Home")</c>.
/// </summary>
public static class L
{
    public static bool IsEnglish => CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "en";

    public static string Lang => IsEnglish ? "en" : "fr";

    public static string T(string fr, string en) => IsEnglish ? en : fr;

    /// <summary>Formats a number for the current language (French: narrow no-break space for thousands, comma for decimals).</summary>
    public static string N(double value, int decimals = 0) => value.ToString("N" + decimals, CultureInfo.CurrentCulture);
}
