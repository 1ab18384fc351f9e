using System.CommandLine;
using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Socle.Modules.Voting.Boards;
using Socle.Modules.Voting.Crypto;
using Socle.Modules.Voting.Elections;
using Socle.Modules.Voting.Records;
using Socle.Modules.Voting.Records.Board;
using Socle.Modules.Voting.Verification;
using Socle.Platform;
using Socle.Platform.Cli;

namespace Socle.Modules.Voting.Cli;

/// <summary>
/// <c>socle vote …</c>: verify any Belenios board, and run a whole election from files as Belenios' tool does —
/// credentials, trustee keys (single and threshold), election, ballots, closing, tally, partial decryptions, result.
/// Files follow Belenios' names in an election folder (<c>--dir</c>): election.json, trustees.json, public_creds.json,
/// private_creds.txt, &lt;uuid&gt;.bel, encrypted_tally.json, result.json.
/// </summary>
public static class VoteCommands
{
    private static readonly UTF8Encoding Utf8 = new(false);

    public static Command Create(CliContext context)
    {
        var vote = new Command("vote", "Verifiable voting (Belenios protocol): verify a board, run an election from files");
        vote.Subcommands.Add(Verify(context));
        vote.Subcommands.Add(Credentials(context));
        vote.Subcommands.Add(Trustee(context));
        vote.Subcommands.Add(TrusteesFile(context));
        vote.Subcommands.Add(Election(context));
        vote.Subcommands.Add(Board(context));
        vote.Subcommands.Add(Ballot(context));
        vote.Subcommands.Add(Close(context));
        vote.Subcommands.Add(Tally(context));
        vote.Subcommands.Add(Decrypt(context));
        vote.Subcommands.Add(AddDecryption(context));
        vote.Subcommands.Add(Result(context));
        vote.Subcommands.Add(Publish(context));
        return vote;
    }

    // ---- shared --------------------------------------------------------------------------------------------------

    private static Option<DirectoryInfo> DirOption() => new("--dir")
    {
        Description = "The election folder (election.json, trustees.json, public_creds.json, <uuid>.bel …)",
        DefaultValueFactory = _ => new DirectoryInfo("."),
    };

    private static Option<string> GroupOption() => new("--group")
    {
        Description = "Ed25519 (default), BELENIOS-2048 or RFC-3526-2048",
        DefaultValueFactory = _ => "Ed25519",
    };

    /// <summary>Runs a command body, turning expected failures into a message and an exit code.</summary>
    private static int Run(CliContext context, ParseResult parse, Func<CliOutput, int> body)
    {
        var output = context.Output(parse);
        try
        {
            return body(output);
        }
        catch (RecordFormatException e)
        {
            return output.Fail(Error.Invalid("invalid_record", e.Message));
        }
        catch (ArgumentException e)
        {
            return output.Fail(Error.Validation(e.ParamName ?? "input", e.Message.Split(" (Parameter")[0]));
        }
        catch (InvalidOperationException e)
        {
            return output.Fail(Error.Conflict("wrong_state", e.Message));
        }
        catch (FormatException e)
        {
            return output.Fail(Error.Validation("input", e.Message));
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return output.Fail(Error.Invalid("decryption_failed", "a message could not be decrypted: wrong key, or the message was altered"));
        }
        catch (FileNotFoundException e)
        {
            return output.Fail(Error.NotFound($"File {e.FileName}"));
        }
    }

    private static Group GetGroup(string name) =>
        Groups.TryGet(name, out var g) ? g : throw new ArgumentException($"unknown group '{name}'; known: {string.Join(", ", Groups.Names)}", "group");

    private static string ReadText(string path) =>
        File.Exists(path) ? File.ReadAllText(path, Utf8).TrimEnd('\r', '\n') : throw new FileNotFoundException($"{path} was not found", path);

    private static string FirstLine(string path) => ReadText(path).Split('\n')[0].TrimEnd('\r');

    private static void Write(string path, string content) => File.WriteAllText(path, content + "\n", Utf8);

    /// <summary>Writes a secret file readable by its owner only.</summary>
    private static void WriteSecret(string path, string content)
    {
        File.WriteAllText(path, content + "\n", Utf8);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    private static string BoardPath(DirectoryInfo dir)
    {
        var bels = dir.Exists ? Directory.GetFiles(dir.FullName, "*.bel") : [];
        return bels.Length == 1
            ? bels[0]
            : throw new FileNotFoundException(bels.Length == 0 ? $"no board (.bel) in {dir.FullName}; run 'socle vote board init' first" : $"several .bel files in {dir.FullName}", dir.FullName);
    }

    private static ElectionRecord LoadElection(DirectoryInfo dir) => ElectionRecord.Parse(FirstLine(Path.Combine(dir.FullName, "election.json")));

    // ---- verify ----------------------------------------------------------------------------------------------------

    private static Command Verify(CliContext context)
    {
        var path = new Argument<string>("board") { Description = "A board file (.bel) or a folder holding one" };
        var threads = new Option<int?>("--threads") { Description = "Worker threads (default: all cores)" };
        var command = new Command("verify", "Verify a Belenios board: chain, setup, every ballot, tally, partial decryptions, result") { path, threads };
        command.SetAction(async (parse, ct) =>
        {
            var output = context.Output(parse);
            var target = parse.GetValue(path)!;
            if (!File.Exists(target) && !Directory.Exists(target))
            {
                return output.Fail(Error.NotFound($"Board {target}"));
            }
            var file = File.Exists(target) ? target : Directory.GetFiles(target, "*.bel") is [var single] ? single : null;
            if (file is null)
            {
                return output.Fail(Error.Validation("board", $"{target} must hold exactly one .bel file"));
            }
            var estimate = Math.Max(1, CountDataFiles(file) - 4);
            var report = await output.ProgressAsync("verifying ballots", estimate, progress =>
                Task.Run(() => BoardVerifier.VerifyPath(file, new VerifyOptions
                {
                    Progress = progress,
                    MaxDegreeOfParallelism = parse.GetValue(threads) ?? Environment.ProcessorCount,
                    CancellationToken = ct,
                }), ct));
            output.Result(report, _ => WriteReport(output.StdOut, report, file));
            if (!report.Ok)
            {
                output.Info($"FAILED at {report.Problem!.Where}: {report.Problem.Message} [{report.Problem.Code}]");
                return ExitCodes.CheckFailed;
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>Counts data files by reading tar headers only (a progress estimate: ballots are most of them).</summary>
    private static long CountDataFiles(string path)
    {
        using var stream = File.OpenRead(path);
        var header = new byte[Archive.BlockSize];
        long count = 0;
        while (stream.Read(header, 0, header.Length) == header.Length && header[0] != 0)
        {
            var size = 0L;
            for (var i = 124; i < 135 && header[i] is >= (byte)'0' and <= (byte)'7'; i++)
            {
                size = (size * 8) + (header[i] - '0');
            }
            if (Encoding.ASCII.GetString(header, 0, 100).Contains(".data.json", StringComparison.Ordinal))
            {
                count++;
            }
            stream.Seek((size + Archive.BlockSize - 1) / Archive.BlockSize * Archive.BlockSize, SeekOrigin.Current);
        }
        return count;
    }

    /// <summary>The human summary: plain lines (no wrapping, no colour codes), so that it reads the same in a pipe or a log.</summary>
    private static void WriteReport(TextWriter o, VerificationReport r, string file)
    {
        o.WriteLine($"{(r.Ok ? "OK" : "FAILED")}: {Path.GetFileName(file)} — election {r.Uuid ?? "?"} \"{r.Name ?? "?"}\" ({r.Group ?? "?"}), {r.State ?? "?"}, verified in {r.Seconds.ToString("F2", CultureInfo.InvariantCulture)} s");
        if (r.Head is not null)
        {
            o.WriteLine($"  {r.Events} events; head {r.Head}");
        }
        o.WriteLine($"  {r.BallotsOnBoard} ballot(s) on the board, {r.BallotsCounted} counted, {r.BallotsSuperseded} replaced by a later ballot; {r.Credentials} credentials; {r.Trustees} trustee(s); {r.PartialDecryptions} partial decryption(s)");
        if (r.BallotsPerSecond > 0)
        {
            o.WriteLine($"  ballots checked at {r.BallotsPerSecond.ToString("N0", CultureInfo.InvariantCulture)} per second");
        }
        foreach (var c in r.Checks)
        {
            var mark = c.Status switch { "passed" => "✓", "failed" => "✗", _ => "–" };
            o.WriteLine($"  {mark} {c.Name}: {c.Detail} ({c.Seconds.ToString("F2", CultureInfo.InvariantCulture)} s)");
        }
        if (r.Problem is { } p)
        {
            o.WriteLine($"  {p.Where}: {p.Message} ({p.Code}{(p.TrackingNumber is null ? "" : ", ballot " + p.TrackingNumber)})");
        }
        foreach (var q in r.Result ?? [])
        {
            o.WriteLine($"  {q.Question}");
            foreach (var a in q.Counts)
            {
                o.WriteLine($"    {(a.IsBlank ? "(blank)" : a.Answer),-30} {a.Count,8}");
            }
        }
    }

    // ---- credentials -----------------------------------------------------------------------------------------------

    private static Command Credentials(CliContext context)
    {
        var dir = DirOption();
        var group = GroupOption();
        var uuid = new Option<string?>("--uuid") { Description = "The election uuid (default: uuid.txt in the folder, or a new one written there)" };
        var count = new Option<int?>("--count") { Description = "Number of voters (ids 1…N)" };
        var voters = new Option<FileInfo?>("--voters") { Description = "Voters file: one 'id' or 'id,weight' per line" };
        var command = new Command("credentials", "Generate voter credentials: private_creds.txt (to send to each voter) and public_creds.json (for the board)")
        { dir, group, uuid, count, voters };
        command.SetAction(parse => Run(context, parse, output =>
        {
            var folder = parse.GetValue(dir)!;
            folder.Create();
            var g = GetGroup(parse.GetValue(group)!);
            var id = parse.GetValue(uuid) ?? (File.Exists(Path.Combine(folder.FullName, "uuid.txt")) ? FirstLine(Path.Combine(folder.FullName, "uuid.txt")) : null);
            if (id is null)
            {
                id = Base58.NewUuid();
                Write(Path.Combine(folder.FullName, "uuid.txt"), id);
            }
            if (!Base58.IsToken(id, 14))
            {
                throw new ArgumentException("an election uuid is at least 14 Base58 characters", "uuid");
            }
            var list = new List<(string, BigInteger?)>();
            if (parse.GetValue(voters) is { } file)
            {
                var n = 0;
                foreach (var line in File.ReadAllLines(file.FullName).Select(l => l.Trim()))
                {
                    n++;
                    if (line.Length == 0 || line.StartsWith('#'))
                    {
                        continue;
                    }
                    var parts = line.Split(',');
                    if (parts[0].Length == 0 || parts.Length > 2 || parts[0].Contains(' ', StringComparison.Ordinal))
                    {
                        throw new ArgumentException($"line {n}: 'id' or 'id,weight' expected", "voters");
                    }
                    BigInteger? weight = null;
                    if (parts.Length == 2)
                    {
                        weight = Weights.TryParse(parts[1], out var w) && !w.IsZero ? w : throw new ArgumentException($"line {n}: the weight must be a positive integer", "voters");
                    }
                    list.Add((parts[0], weight));
                }
                var duplicate = list.GroupBy(v => v.Item1).FirstOrDefault(g => g.Count() > 1);
                if (duplicate is not null)
                {
                    throw new ArgumentException($"voter '{duplicate.Key}' is listed twice", "voters");
                }
            }
            else if (parse.GetValue(count) is { } c and > 0 and <= 10_000_000)
            {
                list.AddRange(Enumerable.Range(1, c).Select(i => (i.ToString(CultureInfo.InvariantCulture), (BigInteger?)null)));
            }
            else
            {
                throw new ArgumentException("give --count N (1 to 10,000,000) or --voters FILE", "count");
            }
            if (list.Count == 0)
            {
                throw new ArgumentException("no voters", "voters");
            }
            var creds = Elections.Credentials.Generate(id, g, list);
            var privatePath = Path.Combine(folder.FullName, "private_creds.txt");
            WriteSecret(privatePath, string.Join("\n", creds.Select(x => $"{x.VoterId} {x.Private}")));
            Write(Path.Combine(folder.FullName, "public_creds.json"), Elections.Credentials.WithIdsJson(creds));
            output.Result(new { uuid = id, group = g.Name, voters = creds.Count, @private = privatePath, @public = Path.Combine(folder.FullName, "public_creds.json") }, _ =>
                output.StdOut.WriteLine($"{creds.Count} credentials for election {id} ({g.Name}): private_creds.txt (send each voter hers, then keep or destroy it), public_creds.json (for the board)"));
            return ExitCodes.Ok;
        }));
        return command;
    }

    // ---- trustee keys ----------------------------------------------------------------------------------------------

    private static Command Trustee(CliContext context)
    {
        var trustee = new Command("trustee", "Trustee keys: single keys, or a threshold (Pedersen) key ceremony, step by step");

        var dir = DirOption();
        var group = GroupOption();
        var name = new Option<string?>("--name") { Description = "A name shown with the public key" };
        var keygen = new Command("keygen", "Generate a single trustee key: <id>.privkey (secret) and <id>.pubkey (public, with a proof of knowledge)") { dir, group, name };
        keygen.SetAction(parse => Run(context, parse, output =>
        {
            var folder = parse.GetValue(dir)!;
            folder.Create();
            var g = GetGroup(parse.GetValue(group)!);
            var key = TrusteeKeys.GenerateSingle(g, parse.GetValue(name));
            var id = Base58.RandomToken(8);
            WriteSecret(Path.Combine(folder.FullName, $"{id}.privkey"), key.PrivateKeyJson);
            Write(Path.Combine(folder.FullName, $"{id}.pubkey"), key.PublicKey.ToJson());
            output.Result(new { id, group = g.Name, publicKey = key.PublicKey.PublicKey.Encoded }, _ =>
                output.StdOut.WriteLine($"{id}.privkey (keep it secret and safe) and {id}.pubkey (send it to the administrator)"));
            return ExitCodes.Ok;
        }));
        trustee.Subcommands.Add(keygen);

        trustee.Subcommands.Add(ThresholdCertificate(context));
        trustee.Subcommands.Add(ThresholdPolynomial(context));
        trustee.Subcommands.Add(ThresholdInputs(context));
        trustee.Subcommands.Add(ThresholdOutput(context));
        trustee.Subcommands.Add(ThresholdFinish(context));
        trustee.Subcommands.Add(ThresholdCeremony(context));
        return trustee;
    }

    private static Option<FileInfo[]> FilesOption(string name, string description) => new(name)
    {
        Description = description,
        AllowMultipleArgumentsPerToken = true,
        Arity = ArgumentArity.OneOrMore,
    };

    private static IReadOnlyList<SignedMessage> ReadCerts(FileInfo[] files, Group group)
    {
        var certs = files.Select(f =>
        {
            using var doc = Json.ParseDocument(FirstLine(f.FullName), f.Name);
            return SignedMessage.Read(doc.RootElement, f.Name, group.Order);
        }).ToList();
        // Order by the index in each certificate's context.
        return certs.OrderBy(c => CertKeys.Parse(c.Message, group).Context?.Index ?? 0).ToList();
    }

    private static Command ThresholdCertificate(CliContext context)
    {
        var dir = DirOption();
        var group = GroupOption();
        var size = new Option<int>("--size") { Description = "Number of trustees n", Required = true };
        var threshold = new Option<int>("--threshold") { Description = "Trustees needed to decrypt (t+1)", Required = true };
        var index = new Option<int>("--index") { Description = "This trustee's number, 1…n", Required = true };
        var command = new Command("threshold-cert", "Threshold step 1 (each trustee): a secret seed (<i>.seed) and a certificate (<i>.cert)") { dir, group, size, threshold, index };
        command.SetAction(parse => Run(context, parse, output =>
        {
            var folder = parse.GetValue(dir)!;
            folder.Create();
            var g = GetGroup(parse.GetValue(group)!);
            var i = parse.GetValue(index);
            var c = ThresholdKeys.Certificate(g, parse.GetValue(size), parse.GetValue(threshold), i);
            WriteSecret(Path.Combine(folder.FullName, $"trustee-{i}.seed"), Json.Quote(c.Seed));
            Write(Path.Combine(folder.FullName, $"trustee-{i}.cert"), c.Certificate.ToJson());
            output.Result(new { index = i, seed = $"trustee-{i}.seed", certificate = $"trustee-{i}.cert" }, _ =>
                output.StdOut.WriteLine($"trustee-{i}.seed (keep it secret: it is needed for every later step and for decryption) and trustee-{i}.cert (send it to the administrator)"));
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static string ReadSeed(FileInfo file)
    {
        using var doc = Json.ParseDocument(FirstLine(file.FullName), "seed");
        var seed = doc.RootElement.String("seed");
        return Base58.IsToken(seed, 22) ? seed : throw new ArgumentException("a seed is 22 Base58 characters", "seed");
    }

    private static Command ThresholdPolynomial(CliContext context)
    {
        var group = GroupOption();
        var certs = FilesOption("--cert", "Every trustee's certificate");
        var seed = new Option<FileInfo>("--seed") { Description = "This trustee's seed file", Required = true };
        var output = new Option<FileInfo>("--out") { Description = "Where to write the polynomial", Required = true };
        var command = new Command("threshold-polynomial", "Threshold step 3 (each trustee): the polynomial, its signed commitments and the encrypted shares") { group, certs, seed, output };
        command.SetAction(parse => Run(context, parse, o =>
        {
            var g = GetGroup(parse.GetValue(group)!);
            var p = ThresholdKeys.Polynomial(g, ReadCerts(parse.GetValue(certs)!, g), ReadSeed(parse.GetValue(seed)!));
            Write(parse.GetValue(output)!.FullName, p.ToJson());
            o.Result(new { polynomial = parse.GetValue(output)!.FullName }, _ => o.StdOut.WriteLine($"polynomial written to {parse.GetValue(output)!.Name}: send it to the administrator"));
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command ThresholdInputs(CliContext context)
    {
        var dir = DirOption();
        var group = GroupOption();
        var certs = FilesOption("--cert", "Every trustee's certificate");
        var polynomials = FilesOption("--polynomial", "Every trustee's polynomial, in trustee order");
        var command = new Command("threshold-inputs", "Threshold step 4 (administrator): check the polynomials and route the shares: vinput-<i>.json") { dir, group, certs, polynomials };
        command.SetAction(parse => Run(context, parse, o =>
        {
            var g = GetGroup(parse.GetValue(group)!);
            var folder = parse.GetValue(dir)!;
            folder.Create();
            var inputs = ThresholdKeys.Inputs(g, ReadCerts(parse.GetValue(certs)!, g),
                parse.GetValue(polynomials)!.Select(f => Elections.ThresholdPolynomial.Parse(FirstLine(f.FullName), g)).ToList());
            for (var i = 0; i < inputs.Count; i++)
            {
                Write(Path.Combine(folder.FullName, $"vinput-{i + 1}.json"), inputs[i].ToJson());
            }
            o.Result(new { inputs = inputs.Count }, _ => o.StdOut.WriteLine($"vinput-1.json … vinput-{inputs.Count}.json: send each trustee hers"));
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command ThresholdOutput(CliContext context)
    {
        var group = GroupOption();
        var certs = FilesOption("--cert", "Every trustee's certificate");
        var seed = new Option<FileInfo>("--seed") { Description = "This trustee's seed file", Required = true };
        var input = new Option<FileInfo>("--input") { Description = "This trustee's vinput file", Required = true };
        var output = new Option<FileInfo>("--out") { Description = "Where to write the output", Required = true };
        var command = new Command("threshold-output", "Threshold step 5 (each trustee): check the shares received and publish the verification key") { group, certs, seed, input, output };
        command.SetAction(parse => Run(context, parse, o =>
        {
            var g = GetGroup(parse.GetValue(group)!);
            var result = ThresholdKeys.Output(g, ReadCerts(parse.GetValue(certs)!, g), ReadSeed(parse.GetValue(seed)!),
                ThresholdInput.Parse(FirstLine(parse.GetValue(input)!.FullName), g));
            Write(parse.GetValue(output)!.FullName, result.ToJson());
            o.Result(new { output = parse.GetValue(output)!.FullName }, _ => o.StdOut.WriteLine("every share matched the commitments; output written: send it to the administrator"));
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command ThresholdFinish(CliContext context)
    {
        var dir = DirOption();
        var group = GroupOption();
        var certs = FilesOption("--cert", "Every trustee's certificate");
        var polynomials = FilesOption("--polynomial", "Every trustee's polynomial, in trustee order");
        var outputs = FilesOption("--output", "Every trustee's output, in trustee order");
        var command = new Command("threshold-finish", "Threshold step 6 (administrator): threshold.json for trustees.json, and each trustee's encrypted key share")
        { dir, group, certs, polynomials, outputs };
        command.SetAction(parse => Run(context, parse, o =>
        {
            var g = GetGroup(parse.GetValue(group)!);
            var folder = parse.GetValue(dir)!;
            folder.Create();
            var outs = parse.GetValue(outputs)!.Select(f => ReadOutput(f, g)).ToList();
            var parameters = ThresholdKeys.Parameters(g, ReadCerts(parse.GetValue(certs)!, g),
                parse.GetValue(polynomials)!.Select(f => Elections.ThresholdPolynomial.Parse(FirstLine(f.FullName), g)).ToList(), outs);
            Write(Path.Combine(folder.FullName, "threshold.json"), parameters.ToJson());
            for (var i = 0; i < outs.Count; i++)
            {
                Write(Path.Combine(folder.FullName, $"decryption-key-{i + 1}.json"), Json.Quote(outs[i].PrivateKey));
            }
            o.Result(new { threshold = parameters.Threshold, trustees = outs.Count }, _ =>
                o.StdOut.WriteLine($"threshold.json ({parameters.Threshold} of {outs.Count}); decryption-key-<i>.json: each trustee's encrypted share, needed with her seed to decrypt"));
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Elections.ThresholdOutput ReadOutput(FileInfo f, Group g) => Elections.ThresholdOutput.Parse(FirstLine(f.FullName), g);

    private static Command ThresholdCeremony(CliContext context)
    {
        var dir = DirOption();
        var group = GroupOption();
        var size = new Option<int>("--size") { Description = "Number of trustees n", Required = true };
        var threshold = new Option<int>("--threshold") { Description = "Trustees needed to decrypt (t+1)", Required = true };
        var command = new Command("threshold-ceremony", "Run all threshold steps on this machine (tests, demonstrations): each trustee's seed and key share, and threshold.json")
        { dir, group, size, threshold };
        command.SetAction(parse => Run(context, parse, o =>
        {
            var g = GetGroup(parse.GetValue(group)!);
            var folder = parse.GetValue(dir)!;
            folder.Create();
            var n = parse.GetValue(size);
            var t = parse.GetValue(threshold);
            var certs = Enumerable.Range(1, n).Select(i => ThresholdKeys.Certificate(g, n, t, i)).ToList();
            var signed = certs.Select(c => c.Certificate).ToList();
            var polynomials = certs.Select(c => ThresholdKeys.Polynomial(g, signed, c.Seed)).ToList();
            var inputs = ThresholdKeys.Inputs(g, signed, polynomials);
            var outputs = certs.Select((c, i) => ThresholdKeys.Output(g, signed, c.Seed, inputs[i])).ToList();
            var parameters = ThresholdKeys.Parameters(g, signed, polynomials, outputs);
            for (var i = 0; i < n; i++)
            {
                WriteSecret(Path.Combine(folder.FullName, $"trustee-{i + 1}.seed"), Json.Quote(certs[i].Seed));
                Write(Path.Combine(folder.FullName, $"decryption-key-{i + 1}.json"), Json.Quote(outputs[i].PrivateKey));
            }
            Write(Path.Combine(folder.FullName, "threshold.json"), parameters.ToJson());
            o.Result(new { threshold = t, trustees = n }, _ => o.StdOut.WriteLine($"threshold.json ({t} of {n}), trustee-<i>.seed and decryption-key-<i>.json for each trustee"));
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command TrusteesFile(CliContext context)
    {
        var dir = DirOption();
        var group = GroupOption();
        var items = new Argument<string[]>("items")
        {
            Description = "In order: 'single:<file.pubkey>' or 'threshold:<threshold.json>'",
            Arity = ArgumentArity.OneOrMore,
        };
        var command = new Command("trustees", "Assemble trustees.json from single public keys and threshold groups, in order") { dir, group, items };
        command.SetAction(parse => Run(context, parse, o =>
        {
            var g = GetGroup(parse.GetValue(group)!);
            var list = new List<TrusteeKind>();
            foreach (var item in parse.GetValue(items)!)
            {
                var colon = item.IndexOf(':', StringComparison.Ordinal);
                var (kind, file) = colon > 0 ? (item[..colon], item[(colon + 1)..]) : ("", item);
                list.Add(kind switch
                {
                    "single" => new TrusteeKind.Single(TrusteePublicKey.Parse(FirstLine(file), g)),
                    "threshold" => new TrusteeKind.Pedersen(ThresholdParameters.Parse(FirstLine(file), g)),
                    _ => throw new ArgumentException($"'{item}': write single:<file> or threshold:<file>", "items"),
                });
            }
            var trustees = TrusteesRecord.Create(list, g);
            if (ElectionKey.Check(g, trustees) is { } problem)
            {
                throw new RecordFormatException(problem);
            }
            var folder = parse.GetValue(dir)!;
            folder.Create();
            Write(Path.Combine(folder.FullName, "trustees.json"), trustees.Raw);
            o.Result(new { trustees = trustees.OwnerCount, publicKey = ElectionKey.Combine(g, trustees).Encoded }, _ =>
                o.StdOut.WriteLine($"trustees.json: {trustees.OwnerCount} trustee(s), every proof checked"));
            return ExitCodes.Ok;
        }));
        return command;
    }

    // ---- election and board ----------------------------------------------------------------------------------------

    private static Command Election(CliContext context)
    {
        var election = new Command("election", "Election parameters");
        var dir = DirOption();
        var group = GroupOption();
        var template = new Option<FileInfo>("--template") { Description = "The template: name, description, questions (JSON)", Required = true };
        var uuid = new Option<string?>("--uuid") { Description = "The election uuid (default: uuid.txt in the folder)" };
        var make = new Command("make", "Write election.json from a template and trustees.json (the public key is the product of the trustees' keys)") { dir, group, template, uuid };
        make.SetAction(parse => Run(context, parse, o =>
        {
            var folder = parse.GetValue(dir)!;
            var g = GetGroup(parse.GetValue(group)!);
            var id = parse.GetValue(uuid) ?? FirstLine(Path.Combine(folder.FullName, "uuid.txt"));
            if (!Base58.IsToken(id, 14))
            {
                throw new ArgumentException("an election uuid is at least 14 Base58 characters", "uuid");
            }
            var trustees = TrusteesRecord.Parse(FirstLine(Path.Combine(folder.FullName, "trustees.json")), g);
            var t = ElectionTemplate.Parse(ReadText(parse.GetValue(template)!.FullName));
            var e = ElectionRecord.Create(t, id, g, ElectionKey.Combine(g, trustees));
            Write(Path.Combine(folder.FullName, "election.json"), e.Raw);
            o.Result(new { uuid = e.Uuid, group = g.Name, fingerprint = e.Fingerprint }, _ =>
                o.StdOut.WriteLine($"election.json written: {e.Name} ({e.Questions.Count} question(s)), fingerprint {e.Fingerprint}"));
            return ExitCodes.Ok;
        }));
        election.Subcommands.Add(make);
        return election;
    }

    private static Command Board(CliContext context)
    {
        var board = new Command("board", "The public board (<uuid>.bel)");
        var dir = DirOption();
        var init = new Command("init", "Create the board from election.json, trustees.json and public_creds.json (voter ids are left out of the board)") { dir };
        init.SetAction(parse => Run(context, parse, o =>
        {
            var folder = parse.GetValue(dir)!;
            var election = LoadElection(folder);
            var trustees = TrusteesRecord.Parse(FirstLine(Path.Combine(folder.FullName, "trustees.json")), election.Group);
            var creds = PublicCredentials.Parse(FirstLine(Path.Combine(folder.FullName, "public_creds.json")), election.Group);
            var path = Path.Combine(folder.FullName, ElectionBoard.FileName(election.Uuid));
            var b = ElectionBoard.Create(path, election, trustees, PublicCredentials.ToBoardJson(creds.Items), DateTimeOffset.UtcNow);
            o.Result(new { board = path, head = b.Head, credentials = creds.Items.Count }, _ =>
                o.StdOut.WriteLine($"{Path.GetFileName(path)} created: setup with {creds.Items.Count} credentials; voting is open"));
            return ExitCodes.Ok;
        }));
        board.Subcommands.Add(init);
        return board;
    }

    private static Command Ballot(CliContext context)
    {
        var ballot = new Command("ballot", "Ballots: encrypt one (as a voter's device does), cast ballots onto the board");

        var dir = DirOption();
        var credential = new Option<string>("--credential") { Description = "The voter's private credential (XXXXX-XXXXXX-XXXXX-XXXXXX)", Required = true };
        var choice = new Option<string>("--choice") { Description = "One array per question, one 0/1 per slot, blank first when allowed: '[[0,1,0,0,0]]'", Required = true };
        var output = new Option<FileInfo?>("--out") { Description = "Write the ballot to this file (default: stdout)" };
        var encrypt = new Command("encrypt", "Encrypt a choice with a private credential into a signed ballot") { dir, credential, choice, output };
        encrypt.SetAction(parse => Run(context, parse, o =>
        {
            var election = LoadElection(parse.GetValue(dir)!);
            int[][] plain;
            try
            {
                plain = JsonSerializer.Deserialize<int[][]>(parse.GetValue(choice)!) ?? throw new ArgumentException("empty choice", "choice");
            }
            catch (JsonException)
            {
                throw new ArgumentException("the choice must be a JSON array of arrays of 0 and 1, e.g. [[0,1,0]]", "choice");
            }
            if (!Elections.Credentials.IsWellFormed(parse.GetValue(credential)!))
            {
                throw new ArgumentException("a private credential is 22 Base58 characters written XXXXX-XXXXXX-XXXXX-XXXXXX", "credential");
            }
            var b = BallotEncryption.Encrypt(election, parse.GetValue(credential)!, plain.Select(a => (IReadOnlyList<int>)a).ToList());
            if (parse.GetValue(output) is { } file)
            {
                Write(file.FullName, b.Raw);
                o.Info($"ballot written to {file.Name}; tracking number {b.TrackingNumber}");
            }
            else
            {
                o.StdOut.WriteLine(b.Raw);
                o.Info($"tracking number {b.TrackingNumber}");
            }
            return ExitCodes.Ok;
        }));
        ballot.Subcommands.Add(encrypt);

        var castDir = DirOption();
        var files = new Argument<FileInfo[]>("ballots") { Description = "Files with one ballot per line", Arity = ArgumentArity.OneOrMore };
        var cast = new Command("cast", "Check ballots and append the valid ones to the board (a later ballot with the same credential replaces the earlier one)") { castDir, files };
        cast.SetAction(parse => Run(context, parse, o =>
        {
            var board = ElectionBoard.Open(BoardPath(parse.GetValue(castDir)!));
            var raws = parse.GetValue(files)!.SelectMany(f => File.ReadAllLines(f.FullName, Utf8)).Where(l => l.Length > 0).ToList();
            var outcomes = board.Cast(raws);
            var accepted = outcomes.Count(x => x.Accepted);
            o.Result(new { accepted, rejected = outcomes.Count - accepted, ballots = outcomes }, _ =>
            {
                o.StdOut.WriteLine($"{accepted} ballot(s) appended, {outcomes.Count - accepted} refused");
                foreach (var (x, i) in outcomes.Select((x, i) => (x, i)).Where(p => !p.x.Accepted))
                {
                    o.StdOut.WriteLine($"  ballot {i + 1}{(x.TrackingNumber is null ? "" : $" ({x.TrackingNumber})")}: {x.Problem}");
                }
            });
            return accepted == outcomes.Count ? ExitCodes.Ok : ExitCodes.CheckFailed;
        }));
        ballot.Subcommands.Add(cast);
        return ballot;
    }

    private static Command Close(CliContext context)
    {
        var dir = DirOption();
        var command = new Command("close", "End the voting period (EndBallots): no ballot is accepted afterwards") { dir };
        command.SetAction(parse => Run(context, parse, o =>
        {
            var board = ElectionBoard.Open(BoardPath(parse.GetValue(dir)!));
            board.Close();
            o.Result(new { head = board.Head, ballots = board.BallotCount }, _ => o.StdOut.WriteLine($"voting closed with {board.BallotCount} ballot(s) on the board"));
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Tally(CliContext context)
    {
        var dir = DirOption();
        var command = new Command("tally", "Compute and publish the encrypted tally (after closing): encrypted_tally.json for the trustees") { dir };
        command.SetAction(parse => Run(context, parse, o =>
        {
            var folder = parse.GetValue(dir)!;
            var board = ElectionBoard.Open(BoardPath(folder));
            var tally = board.Tally();
            Write(Path.Combine(folder.FullName, "encrypted_tally.json"), tally.ToJson());
            o.Result(new { counted = board.CountedBallots().Count, head = board.Head }, _ =>
                o.StdOut.WriteLine($"encrypted tally of {board.CountedBallots().Count} ballot(s) published; trustees can now decrypt"));
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Decrypt(CliContext context)
    {
        var dir = DirOption();
        var key = new Option<FileInfo?>("--key") { Description = "A single trustee's .privkey" };
        var seed = new Option<FileInfo?>("--seed") { Description = "A threshold trustee's seed" };
        var share = new Option<FileInfo?>("--decryption-key") { Description = "A threshold trustee's encrypted key share (decryption-key-<i>.json)" };
        var output = new Option<FileInfo>("--out") { Description = "Where to write the partial decryption", Required = true };
        var command = new Command("decrypt", "A trustee's partial decryption of the encrypted tally, with proofs (computed offline)") { dir, key, seed, share, output };
        command.SetAction(parse => Run(context, parse, o =>
        {
            var folder = parse.GetValue(dir)!;
            var election = LoadElection(folder);
            var g = election.Group;
            BigInteger x;
            if (parse.GetValue(key) is { } k)
            {
                x = TrusteeKeys.ParsePrivateKey(ReadText(k.FullName), g);
            }
            else if (parse.GetValue(seed) is { } s && parse.GetValue(share) is { } d)
            {
                using var doc = Json.ParseDocument(FirstLine(d.FullName), "decryption key");
                x = ThresholdKeys.OpenDecryptionKey(g, ReadSeed(s), doc.RootElement.String("decryption key"));
            }
            else
            {
                throw new ArgumentException("give --key (single trustee) or --seed and --decryption-key (threshold trustee)", "key");
            }
            var tally = EncryptedTally.Parse(FirstLine(Path.Combine(folder.FullName, "encrypted_tally.json")), g);
            var pd = Tallying.Decrypt(election, tally, x);
            Write(parse.GetValue(output)!.FullName, pd.ToJson());
            o.Result(new { publicKey = g.GeneratorPowerSecret(x).Encoded, output = parse.GetValue(output)!.FullName }, _ =>
                o.StdOut.WriteLine($"partial decryption written to {parse.GetValue(output)!.Name}: send it to the administrator"));
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command AddDecryption(CliContext context)
    {
        var dir = DirOption();
        var owner = new Option<int>("--owner") { Description = "The trustee's number in trustees.json order (1…)", Required = true };
        var file = new Argument<FileInfo>("partial-decryption") { Description = "The trustee's partial decryption" };
        var command = new Command("add-decryption", "Check a trustee's partial decryption against her key and the tally, then publish it") { dir, owner, file };
        command.SetAction(parse => Run(context, parse, o =>
        {
            var board = ElectionBoard.Open(BoardPath(parse.GetValue(dir)!));
            board.AddPartialDecryption(parse.GetValue(owner), FirstLine(parse.GetValue(file)!.FullName));
            o.Result(new { owner = parse.GetValue(owner), head = board.Head }, _ => o.StdOut.WriteLine($"partial decryption of trustee {parse.GetValue(owner)} checked and published"));
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Result(CliContext context)
    {
        var dir = DirOption();
        var command = new Command("result", "Combine the partial decryptions, compute and publish the result") { dir };
        command.SetAction(parse => Run(context, parse, o =>
        {
            var folder = parse.GetValue(dir)!;
            var board = ElectionBoard.Open(BoardPath(folder));
            var result = board.PublishResult();
            Write(Path.Combine(folder.FullName, "result.json"), result.ToJson());
            var described = BoardVerifier.Describe(board.Election, result);
            o.Result(new { result = described, head = board.Head }, _ =>
            {
                foreach (var q in described)
                {
                    o.StdOut.WriteLine(q.Question);
                    foreach (var a in q.Counts)
                    {
                        o.StdOut.WriteLine($"  {(a.IsBlank ? "(blank)" : a.Answer),-30} {a.Count,8}");
                    }
                }
            });
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Publish(CliContext context)
    {
        var path = new Argument<string>("board") { Description = "A board file (.bel) or a folder holding one" };
        var command = new Command("publish", "Verify a board and publish it on the server's public pages (database from --db); a board may only grow") { path };
        command.SetAction(async (parse, ct) =>
        {
            var output = context.Output(parse);
            var target = parse.GetValue(path)!;
            var file = File.Exists(target) ? target : Directory.Exists(target) && Directory.GetFiles(target, "*.bel") is [var single] ? single : null;
            if (file is null)
            {
                return output.Fail(Error.NotFound($"Board {target}"));
            }
            var bytes = await File.ReadAllBytesAsync(file, ct);
            var report = BoardVerifier.Verify(new MemoryStream(bytes));
            if (!report.Ok)
            {
                return output.Fail(Error.Invalid("board_invalid", $"the board does not verify: {report.Problem}"));
            }
            using var host = await context.StartServicesAsync(parse, migrate: true, ct);
            var store = host.Services.GetRequiredService<BoardStore>();
            var published = await store.PublishAsync(bytes, report, ct);
            if (!published.IsSuccess)
            {
                return output.Fail(published.Error);
            }
            var outcome = published.Value;
            output.Result(new { kind = outcome.Kind, board = outcome.Board }, _ =>
                output.StdOut.WriteLine($"{outcome.Kind switch { PublishKind.Created => "published", PublishKind.Extended => "updated (the board grew)", _ => "already published, unchanged" }}: election {outcome.Board.Uuid}, {outcome.Board.Ballots} ballot(s), {outcome.Board.State}"));
            return ExitCodes.Ok;
        });
        return command;
    }
}
