using System.Net.Mail;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Socle.Modules.Voting.Service;

/// <summary>Sends the voters' one-time codes and private credentials. Nothing sent is kept by the server.</summary>
public interface IVotingMailer
{
    /// <summary>True when e-mail can be sent (an SMTP server or a development pickup folder is configured).</summary>
    bool Available { get; }

    Task SendAsync(string to, string subject, string body, CancellationToken ct);
}

/// <summary>SMTP (<c>Socle:Voting:SmtpHost</c>) or, for development, .eml files in <c>Socle:Voting:MailPickupDirectory</c>.</summary>
internal sealed class SmtpVotingMailer(IOptions<VotingOptions> options) : IVotingMailer
{
    public bool Available => !string.IsNullOrWhiteSpace(options.Value.SmtpHost) || !string.IsNullOrWhiteSpace(options.Value.MailPickupDirectory);

    public async Task SendAsync(string to, string subject, string body, CancellationToken ct)
    {
        var o = options.Value;
        using var message = new MailMessage(o.SmtpFrom, to, subject, body) { BodyEncoding = Encoding.UTF8, SubjectEncoding = Encoding.UTF8 };
        if (!string.IsNullOrWhiteSpace(o.MailPickupDirectory))
        {
            Directory.CreateDirectory(o.MailPickupDirectory);
            var name = $"{DateTime.UtcNow:yyyyMMddHHmmssfff}-{Convert.ToHexString(RandomNumberGenerator.GetBytes(4))}.eml";
            await File.WriteAllTextAsync(Path.Combine(o.MailPickupDirectory, name), $"To: {to}\nSubject: {subject}\n\n{body}\n", ct);
            return;
        }
        if (string.IsNullOrWhiteSpace(o.SmtpHost))
        {
            throw new InvalidOperationException("no SMTP server is configured (Socle:Voting:SmtpHost)");
        }
        using var smtp = new SmtpClient(o.SmtpHost, o.SmtpPort);
        await smtp.SendMailAsync(message, ct);
    }
}

/// <summary>Random tokens for links and sessions, kept by the server only as SHA-256; passwords as PBKDF2.</summary>
internal static class Secrets
{
    public static string NewToken() => Base64Url(RandomNumberGenerator.GetBytes(32));

    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    public static bool SameHash(string? stored, string token) =>
        stored is not null && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(stored), Encoding.ASCII.GetBytes(Hash(token)));

    /// <summary>An 8-digit one-time code.</summary>
    public static string NewCode() => RandomNumberGenerator.GetInt32(0, 100_000_000).ToString("D8", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A password of 16 Base58 characters (about 94 bits).</summary>
    public static string NewPassword() => Crypto.Base58.RandomToken(16);

    private const int Iterations = 210_000;

    public static string HashPassword(string password)
    {
        var salt = RandomNumberGenerator.GetBytes(16);
        var hash = Rfc2898DeriveBytes.Pbkdf2(password, salt, Iterations, HashAlgorithmName.SHA512, 32);
        return $"pbkdf2-sha512${Iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}";
    }

    public static bool CheckPassword(string? stored, string password)
    {
        var parts = stored?.Split('$');
        if (parts is not { Length: 4 } || parts[0] != "pbkdf2-sha512" || !int.TryParse(parts[1], out var iterations))
        {
            return false;
        }
        var expected = Convert.FromBase64String(parts[3]);
        var actual = Rfc2898DeriveBytes.Pbkdf2(password, Convert.FromBase64String(parts[2]), iterations, HashAlgorithmName.SHA512, expected.Length);
        return CryptographicOperations.FixedTimeEquals(expected, actual);
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
