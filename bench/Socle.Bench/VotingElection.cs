using System.Diagnostics;
using Socle.Modules.Voting.Crypto;
using Socle.Modules.Voting.Elections;
using Socle.Modules.Voting.Records;

namespace Socle.Bench;

/// <summary>
/// The benchmark election: one question, 4 candidates + blank (min = max = 1), Ed25519, two single trustees, as the
/// reference elections Belenios made — at the scale of the given number of voters, every voter voting once,
/// closed, tallied, decrypted, result published. Made once and kept in bench/.cache/ (it takes a minute).
/// </summary>
public static class VotingElection
{
    public static byte[] Board(int voters, string groupName = "Ed25519")
    {
        var cache = Path.Combine(Root, "bench", ".cache");
        Directory.CreateDirectory(cache);
        var path = Path.Combine(cache, $"voting-{groupName}-{voters}.bel");
        if (File.Exists(path))
        {
            return File.ReadAllBytes(path);
        }
        var clock = Stopwatch.StartNew();
        var group = Groups.Get(groupName);
        var uuid = Base58.NewUuid();
        var t1 = TrusteeKeys.GenerateSingle(group);
        var t2 = TrusteeKeys.GenerateSingle(group);
        var trustees = TrusteesRecord.Create([new TrusteeKind.Single(t1.PublicKey), new TrusteeKind.Single(t2.PublicKey)], group);
        var template = ElectionTemplate.Parse("""{"description":"Benchmark election","name":"Bench","questions":[{"answers":["Alice","Bob","Carol","Dave"],"blank":true,"min":1,"max":1,"question":"Who should chair the committee?"}]}""");
        var election = ElectionRecord.Create(template, uuid, group, ElectionKey.Combine(group, trustees));
        var credentials = Credentials.Generate(uuid, group, Enumerable.Range(1, voters).Select(i => ($"{i}", (System.Numerics.BigInteger?)null)).ToList());
        var ballots = new string[voters];
        Parallel.For(0, voters, i =>
        {
            var slot = (int)((uint)HashCode.Combine(i, 17) % 5);
            var choice = new int[5];
            choice[slot] = 1;
            ballots[i] = BallotEncryption.Encrypt(election, credentials[i].Private, [choice]).Raw;
        });
        var dir = Directory.CreateTempSubdirectory("socle-bench-");
        try
        {
            var board = ElectionBoard.Create(Path.Combine(dir.FullName, ElectionBoard.FileName(uuid)), election, trustees, Credentials.BoardJson(credentials), DateTimeOffset.UtcNow);
            var cast = board.Cast(ballots);
            if (cast.Any(c => !c.Accepted))
            {
                throw new InvalidOperationException("a benchmark ballot was refused: " + cast.First(c => !c.Accepted).Problem);
            }
            board.Close();
            var tally = board.Tally();
            board.AddPartialDecryption(1, Tallying.Decrypt(election, tally, t1.PrivateKey).ToJson());
            board.AddPartialDecryption(2, Tallying.Decrypt(election, tally, t2.PrivateKey).ToJson());
            board.PublishResult();
            File.Copy(board.Path, path);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
        Console.Error.WriteLine($"// made {path} ({voters} ballots) in {clock.Elapsed.TotalSeconds:F0} s");
        return File.ReadAllBytes(path);
    }

    public static string Root
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Socle.slnx")))
            {
                dir = dir.Parent;
            }
            return dir?.FullName ?? Directory.GetCurrentDirectory();
        }
    }
}
