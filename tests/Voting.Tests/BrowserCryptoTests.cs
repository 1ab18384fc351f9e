using System.Numerics;
using System.Text;
using System.Text.Json;
using Socle.Modules.Voting.Crypto;
using Socle.Modules.Voting.Elections;
using Socle.Modules.Voting.Records;
using Socle.Modules.Voting.Verification;
using Socle.Testing;

namespace Socle.Voting.Tests;

/// <summary>
/// The browser's voting library (web/src/voting, JavaScript) checked by our C# implementation: ballots, trustee keys,
/// partial decryptions and credentials made by <c>node web/tools/voting-cli.mjs</c> must pass the checks the server
/// and verifiers make, and be written byte for byte as the C# writes them.
/// </summary>
public sealed class BrowserCryptoTests : IDisposable
{
    public static TheoryData<string> GroupNames => new("Ed25519", "BELENIOS-2048");

    /// <summary>The two groups, and RFC-3526-2048 where it is cheap (its exponents have 2047 bits).</summary>
    public static TheoryData<string> AllGroupNames => new("Ed25519", "BELENIOS-2048", "RFC-3526-2048");

    /// <summary>Three questions: blank allowed with 2 to 3 answers, no blank with 1 to 2, blank allowed with 1 to 2.</summary>
    private static readonly Question[] Questions =
    [
        new("Quels « représentants » ?", ["Ana", "Bo", "Chloé", "Dmitri"], true, 2, 3),
        new("Which \"options\"?\nPick one or two", ["x", "y", "z"], null, 1, 2),
        new("Référendum", ["Oui", "Non", "Peut-être"], true, 1, 2),
    ];

    private readonly string _dir = Directory.CreateTempSubdirectory("socle-booth-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<string> WriteAsync(string name, string content)
    {
        var path = Path.Combine(_dir, name);
        await File.WriteAllTextAsync(path, content + "\n", Ct);
        return path;
    }

    private static ElectionRecord MakeElection(Group group, Element publicKey) =>
        ElectionRecord.Create(new ElectionTemplate("Isoloir", "Bulletins chiffrés en JavaScript", Questions), Base58.NewUuid(), group, publicKey);

    /// <summary>Whether the C# side accepts a ballot text: canonical form, then every proof and the signature.</summary>
    private static bool Accepted(BallotChecker checker, string raw, Group group)
    {
        try
        {
            return checker.Check(Ballot.Parse(raw, group)) is null;
        }
        catch (RecordFormatException)
        {
            return false;
        }
    }

    // ---- (a) ballots ----------------------------------------------------------------------------------------------

    [Theory]
    [MemberData(nameof(GroupNames))]
    public async Task A_ballot_encrypted_in_JavaScript_passes_the_CSharp_ballot_checker_and_a_flipped_byte_does_not(string groupName)
    {
        var group = Groups.Get(groupName);
        var election = MakeElection(group, TrusteeKeys.GenerateSingle(group).PublicKey.PublicKey);
        var electionFile = await WriteAsync("election.json", election.Raw);
        var credential = Credentials.NewPrivate();
        var checker = new BallotChecker(election);

        // Three answers then a blank vote; two answers, the fewest allowed, then a non-blank vote of one.
        string[] choices = ["[[0,0,1,1,1],[1,0,1],[1,0,0,0]]", "[[0,1,0,0,1],[0,1,0],[0,0,1,0]]"];
        var raws = new List<string>();
        foreach (var choice in choices)
        {
            var raw = await Cli.BrowserLibraryOkAsync("encrypt", electionFile, credential, choice);
            var ballot = Ballot.Parse(raw, group); // refuses anything but the canonical serialisation
            Assert.Null(checker.Check(ballot));
            Assert.Equal(election.Fingerprint, ballot.ElectionHash);
            Assert.Equal(Credentials.DerivePublic(election.Uuid, credential, group).Encoded, ballot.Credential.Encoded);
            Assert.Equal(ballot.TrackingNumber, await Cli.BrowserLibraryOkAsync("tracking-number", await WriteAsync("ballot.json", raw)));
            raws.Add(raw);
        }
        Assert.NotEqual(raws[0][..2000], raws[1][..2000]); // fresh randomness (credential and uuid are alike)

        // Flipping the lowest bit of any byte makes the ballot refused: bytes spread over the whole text, and the
        // first digit of every response, challenge, alpha and beta, the signature hash and the credential.
        var text = raws[0];
        var positions = Enumerable.Range(0, 24).Select(i => (int)((long)text.Length * i / 24)).ToList();
        foreach (var field in new[] { "\"response\":\"", "\"challenge\":\"", "\"alpha\":\"", "\"beta\":\"", "\"hash\":\"", "\"credential\":\"" })
        {
            positions.Add(text.IndexOf(field, StringComparison.Ordinal) + field.Length);
            positions.Add(text.LastIndexOf(field, StringComparison.Ordinal) + field.Length + 3);
        }
        foreach (var p in positions)
        {
            var flipped = new StringBuilder(text) { [p] = (char)(text[p] ^ 1) }.ToString();
            Assert.False(Accepted(checker, flipped, group), $"a ballot with byte {p} ('{text[p]}') flipped was accepted");
        }
    }

    [Fact]
    public async Task A_choice_outside_min_max_is_refused_in_JavaScript_as_in_CSharp()
    {
        var group = Groups.Ed25519;
        var election = MakeElection(group, TrusteeKeys.GenerateSingle(group).PublicKey.PublicKey);
        var electionFile = await WriteAsync("election.json", election.Raw);
        var outcome = await Cli.BrowserLibraryAsync("encrypt", electionFile, Credentials.NewPrivate(), "[[0,1,0,0,0],[1,0,1],[1,0,0,0]]");
        Assert.Equal(1, outcome.ExitCode);
        Assert.Contains("question 1: between 2 and 3 answers must be selected, 1 are", outcome.StdErr);
        Assert.Equal("question 1: between 2 and 3 answers must be selected, 1 are",
            BallotEncryption.ValidatePlaintext(election, [[0, 1, 0, 0, 0], [1, 0, 1], [1, 0, 0, 0]]));
    }

    // ---- (b) trustee keys -----------------------------------------------------------------------------------------

    [Theory]
    [MemberData(nameof(AllGroupNames))]
    public async Task A_trustee_key_made_in_JavaScript_passes_CheckSingle(string groupName)
    {
        var group = Groups.Get(groupName);
        var election = MakeElection(group, TrusteeKeys.GenerateSingle(group).PublicKey.PublicKey);
        var electionFile = await WriteAsync("election.json", election.Raw);
        foreach (var source in new[] { groupName, electionFile })
        {
            var (privateKey, key, publicJson) = ReadTrusteeKey(await Cli.BrowserLibraryOkAsync("trustee-key", source), group);
            Assert.True(TrusteeKeys.CheckSingle(group, key));
            Assert.Equal(key.ToJson(), publicJson);
            Assert.True(group.AreEqual(group.GeneratorPowerSecret(privateKey), key.PublicKey));
            var altered = key with { Pok = key.Pok with { Response = Zq.Reduce(key.Pok.Response + 1, group.Order) } };
            Assert.False(TrusteeKeys.CheckSingle(group, altered));
        }
    }

    private static (BigInteger Private, TrusteePublicKey Public, string PublicJson) ReadTrusteeKey(string json, Group group)
    {
        using var doc = JsonDocument.Parse(json);
        var publicJson = doc.RootElement.GetProperty("public").GetRawText();
        return (Zq.Parse(doc.RootElement.GetProperty("private").GetString()!, group.Order), TrusteePublicKey.Parse(publicJson, group), publicJson);
    }

    // ---- (c) partial decryptions ----------------------------------------------------------------------------------

    [Theory]
    [MemberData(nameof(GroupNames))]
    public async Task A_partial_decryption_made_in_JavaScript_passes_the_check_and_combines_into_the_right_result(string groupName)
    {
        // Two trustees: the first with a key made in JavaScript, the second with a key made in C#.
        var group = Groups.Get(groupName);
        var (jsPrivate, jsKey, _) = ReadTrusteeKey(await Cli.BrowserLibraryOkAsync("trustee-key", groupName), group);
        var csKey = TrusteeKeys.GenerateSingle(group);
        var trustees = TrusteesRecord.Create([new TrusteeKind.Single(jsKey), new TrusteeKind.Single(csKey.PublicKey)], group);
        var election = MakeElection(group, ElectionKey.Combine(group, trustees));
        var electionFile = await WriteAsync("election.json", election.Raw);

        // Weighted ballots encrypted in C#, and one in JavaScript; C# computes the encrypted tally.
        (int[][] Choice, int Weight)[] votes =
        [
            ([[0, 1, 1, 0, 0], [1, 0, 0], [0, 1, 0, 0]], 1),
            ([[1, 0, 0, 0, 0], [0, 1, 1], [0, 1, 1, 0]], 2),
            ([[0, 0, 1, 1, 1], [0, 0, 1], [1, 0, 0, 0]], 3),
        ];
        var counted = votes.Select(v => new CountedBallot(BallotEncryption.Encrypt(election, Credentials.NewPrivate(), v.Choice), v.Weight)).ToList();
        var jsBallot = Ballot.Parse(await Cli.BrowserLibraryOkAsync("encrypt", electionFile, Credentials.NewPrivate(), "[[0,1,0,1,0],[0,1,0],[1,0,0,0]]"), group);
        counted.Add(new CountedBallot(jsBallot, 4));
        var tally = Tallying.EncryptedTally(election, counted);
        var tallyFile = await WriteAsync("encrypted_tally.json", tally.ToJson());

        // The private key as a .privkey file holds it: a JSON string.
        var keyFile = await WriteAsync("trustee.privkey", Json.Quote(Zq.ToText(jsPrivate)));
        var pdJson = await Cli.BrowserLibraryOkAsync("decrypt", electionFile, tallyFile, keyFile);
        var pd = PartialDecryption.Parse(pdJson, group);
        Assert.Equal(pd.ToJson(), pdJson);
        Assert.Null(Tallying.CheckPartialDecryption(election, tally, jsKey.PublicKey, pd));
        Assert.NotNull(Tallying.CheckPartialDecryption(election, tally, csKey.PublicKey.PublicKey, pd)); // bound to its trustee's key

        var byOwner = new Dictionary<int, PartialDecryption> { [1] = pd, [2] = Tallying.Decrypt(election, tally, csKey.PrivateKey) };
        var factors = Tallying.CombineFactors(election, trustees, byOwner, tally);
        Assert.True(factors.IsSuccess, factors.Problem);
        var result = Tallying.ComputeResult(election, tally, factors.Value!, 10);
        Assert.True(result.IsSuccess, result.Problem);
        Assert.Equal("{\"result\":[[2,5,4,7,3],[1,6,5],[7,3,2,0]]}", result.Value!.ToJson());

        // Without the JavaScript trustee's factors the tally does not open.
        var withoutJs = new Dictionary<int, PartialDecryption> { [2] = byOwner[2] };
        Assert.False(Tallying.CombineFactors(election, trustees, withoutJs, tally).IsSuccess);
    }

    // ---- A whole election: JavaScript ballots and decryption on a board that Belenios verifies ----------------------

    /// <summary>BELENIOS-2048 only: Debian's belenios-tool 2.0 does not know the Ed25519 group.</summary>
    [Fact]
    public async Task A_BELENIOS_2048_board_of_JavaScript_ballots_and_decryption_passes_socle_and_Debians_belenios_tool()
    {
        const string groupName = "BELENIOS-2048";
        var d = _dir;
        await Cli.OkAsync("vote", "credentials", "--dir", d, "--group", groupName, "--count", "3");
        var creds = (await File.ReadAllLinesAsync(Path.Combine(d, "private_creds.txt"), Ct)).Select(l => l.Split(' ')[1]).ToArray();
        await Cli.OkAsync("vote", "trustee", "keygen", "--dir", Path.Combine(d, "keys"), "--group", groupName, "--name", "server");
        await Cli.OkAsync("vote", "trustees", "--dir", d, "--group", groupName, $"single:{Directory.GetFiles(Path.Combine(d, "keys"), "*.pubkey").Single()}");
        var template = await WriteAsync("template.json", new ElectionTemplate("Isoloir", "JavaScript", Questions).ToJson());
        await Cli.OkAsync("vote", "election", "make", "--dir", d, "--group", groupName, "--template", template);
        await Cli.OkAsync("vote", "board", "init", "--dir", d);

        var electionFile = Path.Combine(d, "election.json");
        string[] choices = ["[[0,0,1,1,1],[1,0,1],[1,0,0,0]]", "[[0,1,0,0,1],[0,1,0],[0,0,1,0]]", "[[1,0,0,0,0],[0,0,1],[0,1,1,0]]"];
        var ballots = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ballots.Add(await WriteAsync($"ballot-{i}.json", await Cli.BrowserLibraryOkAsync("encrypt", electionFile, creds[i], choices[i])));
        }
        await Cli.OkAsync(["vote", "ballot", "cast", "--dir", d, .. ballots]);
        await Cli.OkAsync("vote", "close", "--dir", d);
        await Cli.OkAsync("vote", "tally", "--dir", d);
        var privkey = Directory.GetFiles(Path.Combine(d, "keys"), "*.privkey").Single();
        var pd = await WriteAsync("pd-1.json", await Cli.BrowserLibraryOkAsync("decrypt", electionFile, Path.Combine(d, "encrypted_tally.json"), privkey));
        await Cli.OkAsync("vote", "add-decryption", "--dir", d, "--owner", "1", pd);
        await Cli.OkAsync("vote", "result", "--dir", d);
        Assert.Equal("{\"result\":[[1,1,1,1,2],[1,1,2],[1,1,2,0]]}", (await File.ReadAllTextAsync(Path.Combine(d, "result.json"), Ct)).Trim());
        Assert.Contains("\"ok\": true", (await Cli.OkAsync("vote", "verify", d, "--json")).StdOut);

        // Belenios' own verifier (Debian package belenios-tool), given only the board.
        var only = Directory.CreateDirectory(Path.Combine(d, "only")).FullName;
        var bel = Directory.GetFiles(d, "*.bel").Single();
        File.Copy(bel, Path.Combine(only, Path.GetFileName(bel)));
        var belenios = await Cli.ProcessAsync("belenios-tool", only, "election", "verify", "--dir", only);
        Assert.True(belenios.ExitCode == 0, belenios.ToString());
        Assert.Contains("all checks passed", belenios.StdErr + belenios.StdOut);
    }

    // ---- (d) credentials ------------------------------------------------------------------------------------------

    [Theory]
    [MemberData(nameof(AllGroupNames))]
    public async Task JavaScript_and_CSharp_derive_the_same_public_credential(string groupName)
    {
        var group = Groups.Get(groupName);
        var election = MakeElection(group, TrusteeKeys.GenerateSingle(group).PublicKey.PublicKey);
        var electionFile = await WriteAsync("election.json", election.Raw);
        for (var i = 0; i < 3; i++)
        {
            var credential = Credentials.NewPrivate();
            Assert.Equal(Credentials.DerivePublic(election.Uuid, credential, group).Encoded, await Cli.BrowserLibraryOkAsync("credential", electionFile, credential));
        }
    }

    [Theory]
    [InlineData(ReferenceElections.Ed25519)]
    [InlineData(ReferenceElections.Belenios2048)]
    public async Task JavaScript_derives_the_public_credentials_Belenios_published(string name)
    {
        var published = ReferenceElections.Read(name, "public_creds.json");
        var electionFile = Path.Combine(ReferenceElections.Folder(name), "election.json");
        foreach (var (_, credential, _) in ReferenceElections.Choices(name).Take(2))
        {
            Assert.Contains($"\"{await Cli.BrowserLibraryOkAsync("credential", electionFile, credential)}", published, StringComparison.Ordinal);
        }
    }
}
