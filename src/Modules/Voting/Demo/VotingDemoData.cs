using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Socle.Modules.Voting.Boards;
using Socle.Modules.Voting.Crypto;
using Socle.Modules.Voting.Elections;
using Socle.Modules.Voting.Records;
using Socle.Modules.Voting.Verification;
using Socle.Platform.Hosting;

namespace Socle.Modules.Voting.Demo;

/// <summary>
/// A complete example election, made on first start and published: an association board election with 12 voters
/// (one votes twice, one votes blank), a server key and three members of the bureau holding a 2-of-3 threshold key,
/// closed, tallied, decrypted by two of the three, result published. A newcomer can open it, download its board and
/// verify it with <c>socle vote verify</c> or Belenios' tool.
/// </summary>
public sealed class VotingDemoData(ILogger<VotingDemoData> logger) : IDemoData
{
    public string Module => "voting";

    public async Task SeedAsync(IServiceProvider services, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var bytes = Make(out var uuid, out var ballots);
        var report = BoardVerifier.Verify(new MemoryStream(bytes));
        var published = await services.GetRequiredService<BoardStore>().PublishAsync(bytes, report, ct);
        if (!published.IsSuccess)
        {
            throw new InvalidOperationException($"the demo board does not publish: {published.Error}");
        }
        Log.DemoSeeded(logger, uuid, ballots, clock.Elapsed.TotalSeconds);
    }

    /// <summary>Builds the demo election's board; also used by tests.</summary>
    public static byte[] Make(out string uuid, out int ballots)
    {
        var group = Groups.Ed25519;
        uuid = Base58.NewUuid();
        var server = TrusteeKeys.GenerateSingle(group, "Serveur");
        const int n = 3, threshold = 2;
        var certs = Enumerable.Range(1, n).Select(i => ThresholdKeys.Certificate(group, n, threshold, i)).ToList();
        var signed = certs.Select(c => c.Certificate).ToList();
        var polynomials = certs.Select(c => ThresholdKeys.Polynomial(group, signed, c.Seed)).ToList();
        var inputs = ThresholdKeys.Inputs(group, signed, polynomials);
        var outputs = certs.Select((c, i) => ThresholdKeys.Output(group, signed, c.Seed, inputs[i])).ToList();
        var parameters = ThresholdKeys.Parameters(group, signed, polynomials, outputs);
        var trustees = TrusteesRecord.Create([new TrusteeKind.Single(server.PublicKey), new TrusteeKind.Pedersen(parameters)], group);
        var template = new ElectionTemplate(
            "Élection du bureau de l'association (démonstration)",
            "Exemple d'élection créé au premier démarrage de Socle : 12 votants, un vote blanc, un second vote qui remplace le premier, trois assesseurs dont deux suffisent pour dépouiller.",
            [
                new Question("Qui doit présider l'association ?", ["Camille Martin", "Dominique Bernard", "Sacha Petit"], true, 1, 1),
                new Question("Quels membres au conseil d'administration ? (deux au plus)", ["Alex Durand", "Charlie Leroy", "Noa Moreau", "Eden Simon"], null, 0, 2),
            ]);
        var election = ElectionRecord.Create(template, uuid, group, ElectionKey.Combine(group, trustees));
        var voters = Enumerable.Range(1, 12).Select(i => ($"votant{i:00}@exemple.fr", (System.Numerics.BigInteger?)null)).ToList();
        var creds = Credentials.Generate(uuid, group, voters);
        var folder = Directory.CreateTempSubdirectory("socle-demo-");
        try
        {
            var board = ElectionBoard.Create(Path.Combine(folder.FullName, ElectionBoard.FileName(uuid)), election, trustees, Credentials.BoardJson(creds), DateTimeOffset.UtcNow);
            int[][][] choices =
            [
                [[0, 1, 0, 0], [1, 1, 0, 0]], [[0, 1, 0, 0], [0, 1, 1, 0]], [[0, 0, 1, 0], [1, 0, 0, 0]], [[0, 0, 0, 1], [0, 0, 1, 1]],
                [[1, 0, 0, 0], [0, 0, 0, 0]], [[0, 1, 0, 0], [1, 0, 0, 1]], [[0, 0, 1, 0], [0, 1, 0, 0]], [[0, 1, 0, 0], [1, 1, 0, 0]],
                [[0, 0, 1, 0], [0, 0, 1, 0]], [[0, 0, 0, 1], [1, 0, 1, 0]], [[0, 1, 0, 0], [0, 0, 0, 1]], [[0, 0, 1, 0], [1, 1, 0, 0]],
            ];
            var raws = creds.Select((c, i) => BallotEncryption.Encrypt(election, c.Private, choices[i].Select(a => (IReadOnlyList<int>)a).ToList()).Raw).ToList();
            // Voter 3 changes her mind: her second ballot replaces the first.
            raws.Add(BallotEncryption.Encrypt(election, creds[2].Private, [[0, 1, 0, 0], [0, 1, 1, 0]]).Raw);
            board.Cast(raws);
            board.Close();
            var tally = board.Tally();
            board.AddPartialDecryption(1, Tallying.Decrypt(election, tally, server.PrivateKey).ToJson());
            foreach (var k in new[] { 0, 2 })
            {
                var share = ThresholdKeys.OpenDecryptionKey(group, certs[k].Seed, outputs[k].PrivateKey);
                board.AddPartialDecryption(2 + k, Tallying.Decrypt(election, tally, share).ToJson());
            }
            board.PublishResult();
            ballots = raws.Count;
            return File.ReadAllBytes(board.Path);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
