namespace Socle.Platform;

/// <summary>
/// Collects input errors field by field, so that one answer names every field at fault.
/// <code>
/// var checks = new Checks();
/// checks.Require(request.Name, "name");
/// checks.That(request.Capacity_kw > 0, "capacity_kw", "must be positive");
/// if (checks.Failed) return checks.ToError();
/// </code>
/// </summary>
public sealed class Checks
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool Failed => _errors.Count > 0;

    public Checks Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list))
        {
            list = [];
            _errors[field] = list;
        }
        list.Add(message);
        return this;
    }

    public Checks That(bool condition, string field, string message) => condition ? this : Add(field, message);

    public Checks Require(string? value, string field, int maxLength = 4000)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return Add(field, "is required");
        }
        return value.Length > maxLength ? Add(field, $"is longer than {maxLength} characters") : this;
    }

    public Checks Range(double value, string field, double min, double max) =>
        double.IsFinite(value) && value >= min && value <= max ? this : Add(field, $"must be between {min} and {max}");

    public Checks Positive(double value, string field) =>
        double.IsFinite(value) && value > 0 ? this : Add(field, "must be a positive number");

    public Checks NonNegative(double value, string field) =>
        double.IsFinite(value) && value >= 0 ? this : Add(field, "must be zero or more");

    public Error ToError() => Error.Validation(_errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal));
}
