using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Socle.Modules.Voting.Records.Board;
using Socle.Platform;

namespace Socle.Modules.Voting.Verification;

/// <summary>
/// Verifies boards uploaded to the server (verify page and API): bounded size, a bounded number of verifications at
/// once (each already uses all cores), and nothing of the upload kept.
/// </summary>
public sealed class VerificationService(IOptions<VotingOptions> options, ILogger<VerificationService> logger)
{
    private readonly SemaphoreSlim _slots = new(options.Value.MaxConcurrentVerifications);

    public VotingOptions Options => options.Value;

    public ArchiveLimits Limits => new(options.Value.MaxUploadBytes, options.Value.MaxUploadBytes, 10_000_000);

    /// <summary>Verifies an uploaded board (read from <paramref name="board"/> up to the size limit).</summary>
    public async Task<Result<VerificationReport>> VerifyAsync(Stream board, CancellationToken ct)
    {
        if (!await _slots.WaitAsync(TimeSpan.FromSeconds(options.Value.QueueSeconds), ct))
        {
            Log.QueueFull(logger, options.Value.QueueSeconds);
            return Error.Conflict("busy", "The server is verifying other boards; try again in a minute, or run 'socle vote verify' yourself.");
        }
        try
        {
            // Copy the upload first (bounded): the verifier then reads a seekable, complete stream.
            using var buffer = new MemoryStream();
            var chunk = new byte[81920];
            int n;
            while ((n = await board.ReadAsync(chunk, ct)) > 0)
            {
                if (buffer.Length + n > options.Value.MaxUploadBytes)
                {
                    return Error.Validation("board", $"is larger than {options.Value.MaxUploadBytes / (1 << 20)} MiB; verify it with 'socle vote verify' instead");
                }
                buffer.Write(chunk, 0, n);
            }
            if (buffer.Length == 0)
            {
                return Error.Validation("board", "is empty: send a Belenios .bel file");
            }
            buffer.Position = 0;
            var report = await Task.Run(() => BoardVerifier.Verify(buffer, new VerifyOptions
            {
                Limits = Limits,
                MaxDegreeOfParallelism = options.Value.VerifyThreads,
                CancellationToken = ct,
            }), ct);
            Log.BoardVerified(logger, report.Uuid ?? "?", report.BallotsOnBoard, report.Ok, report.Problem?.Code ?? "ok", report.Seconds);
            return report;
        }
        finally
        {
            _slots.Release();
        }
    }
}
