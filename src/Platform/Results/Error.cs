namespace Socle.Platform;

/// <summary>What kind of expected failure an <see cref="Error"/> is; decides the HTTP status and the CLI exit code.</summary>
public enum ErrorKind
{
    /// <summary>The input is wrong (400 / exit 2).</summary>
    Validation,
    /// <summary>The thing asked for does not exist (404 / exit 3).</summary>
    NotFound,
    /// <summary>The request conflicts with the current state: closed election, spent reward, duplicate key (409 / exit 4).</summary>
    Conflict,
    /// <summary>The caller may not do this (403 / exit 5).</summary>
    Forbidden,
    /// <summary>The caller is not authenticated (401 / exit 5).</summary>
    Unauthorized,
    /// <summary>A check failed: a signature, a proof, a chain (422 / exit 1).</summary>
    Invalid,
}

/// <summary>
/// An expected failure, as a value: a stable code, a message for people, and for input errors the fields at fault.
/// Handlers return it; the HTTP edge turns it into ProblemDetails and the CLI into a message and an exit code.
/// </summary>
public sealed record Error(ErrorKind Kind, string Code, string Message, IReadOnlyDictionary<string, string[]>? Fields = null)
{
    public static Error Validation(string field, string message) =>
        new(ErrorKind.Validation, "validation", $"{field}: {message}", new Dictionary<string, string[]> { [field] = [message] });

    public static Error Validation(IReadOnlyDictionary<string, string[]> fields) =>
        new(ErrorKind.Validation, "validation",
            string.Join("; ", fields.SelectMany(f => f.Value.Select(m => $"{f.Key}: {m}"))), fields);

    public static Error NotFound(string what) => new(ErrorKind.NotFound, "not_found", $"{what} was not found.");

    public static Error Conflict(string code, string message) => new(ErrorKind.Conflict, code, message);

    public static Error Forbidden(string message = "You are not allowed to do this.") => new(ErrorKind.Forbidden, "forbidden", message);

    public static Error Unauthorized(string message = "Sign in first.") => new(ErrorKind.Unauthorized, "unauthorized", message);

    public static Error Invalid(string code, string message) => new(ErrorKind.Invalid, code, message);

    public int HttpStatus => Kind switch
    {
        ErrorKind.Validation => 400,
        ErrorKind.NotFound => 404,
        ErrorKind.Conflict => 409,
        ErrorKind.Forbidden => 403,
        ErrorKind.Unauthorized => 401,
        _ => 422,
    };

    public int ExitCode => Kind switch
    {
        ErrorKind.Validation => 2,
        ErrorKind.NotFound => 3,
        ErrorKind.Conflict => 4,
        ErrorKind.Forbidden or ErrorKind.Unauthorized => 5,
        _ => 1,
    };

    public override string ToString() => Message;
}
