using System.Diagnostics.CodeAnalysis;

namespace Socle.Platform;

/// <summary>A value or an expected failure. Exceptions stay for bugs.</summary>
public readonly record struct Result<T>
{
    private readonly T? _value;

    private Result(T? value, Error? error)
    {
        _value = value;
        Error = error;
    }

    public Error? Error { get; }

    [MemberNotNullWhen(false, nameof(Error))]
    public bool IsSuccess => Error is null;

    public T Value => IsSuccess ? _value! : throw new InvalidOperationException($"No value: {Error}");

    public static Result<T> Ok(T value) => new(value, null);

    public static Result<T> Fail(Error error) => new(default, error ?? throw new ArgumentNullException(nameof(error)));

    public static implicit operator Result<T>(T value) => Ok(value);

    public static implicit operator Result<T>(Error error) => Fail(error);

    public Result<TOut> Map<TOut>(Func<T, TOut> map) => IsSuccess ? Result<TOut>.Ok(map(_value!)) : Result<TOut>.Fail(Error);

    public bool TryGet([NotNullWhen(true)] out T? value, [NotNullWhen(false)] out Error? error)
    {
        value = _value;
        error = Error;
        return IsSuccess;
    }
}
