using System.Text.Json;
using Socle.Modules.Voting.Crypto;
using Socle.Modules.Voting.Elections;
using Socle.Modules.Voting.Records;
using Socle.Testing;

namespace Socle.Voting.Tests;

/// <summary>
/// The browser's threshold trustee (web/src/voting/threshold.js): the trustee's steps of the Pedersen key ceremony and
/// her partial decryption with the key share, run by <c>node web/tools/voting-cli.mjs</c> beside trustees and a server
/// in C#. Every record must be written byte for byte as the C# writes it, pass the C# checks, and decrypt the tally.
/// </summary>
public sealed class BrowserThresholdTests : IDisposable
{
    public static TheoryData<string> GroupNames => new("Ed25519", "BELENIOS-2048");

    /// <summary>Blank allowed with 1 to 2 of three answers; then exactly one of two.</summary>
    private static readonly Question[] Questions =
    [
        new("Quels « représentants » ?", ["Ana", "Bo", "Chloé"], true, 1, 2),
        new("Référendum", ["Oui", "Non"], null, 1, 1),
    ];

    /// <summary>Weighted votes (blank slot first in question 1), counted as {"result":[[3,5,3,4],[4,6]]}.</summary>
    private static readonly (int[][] Choice, int Weight)[] Votes =
    [
        ([[0, 1, 1, 0], [1, 0]], 1),
        ([[0, 0, 1, 0], [0, 1]], 2),
        ([[1, 0, 0, 0], [1, 0]], 3),
        ([[0, 1, 0, 1], [0, 1]], 4),
    ];

    private const string ExpectedResult = "{\"result\":[[3,5,3,4],[4,6]]}";

    private readonly string _dir = Directory.CreateTempSubdirectory("socle-threshold-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<string> WriteAsync(string name, string content)
    {
        var path = Path.Combine(_dir, name);
        await File.WriteAllTextAsync(path, content + "\n", Ct);
        return path;
    }

    /// <summary>A trustee's certificate made in JavaScript: the seed (as a .seed file holds it) and the signed certificate.</summary>
    private async Task<(string Seed, string SeedFile, SignedMessage Certificate, string CertificateJson)> JsCertificateAsync(string groupName, int index)
    {
        using var doc = JsonDocument.Parse(await Cli.BrowserLibraryOkAsync("threshold-cert", groupName, "3", "2", index.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var seed = doc.RootElement.GetProperty("seed").GetString()!;
        var certJson = doc.RootElement.GetProperty("certificate").GetRawText();
        using var cert = JsonDocument.Parse(certJson);
        var signed = SignedMessage.Read(cert.RootElement, "certificate", Groups.Get(groupName).Order);
        return (seed, await WriteAsync($"trustee-{index}.seed", Json.Quote(seed)), signed, certJson);
    }

    /// <summary>The certificates file, deliberately out of order (3, 1, 2): the tool orders them by their contexts' indexes.</summary>
    private Task<string> CertsFileAsync(IReadOnlyList<SignedMessage> certs) =>
        WriteAsync("certs.json", "[" + certs[2].ToJson() + "," + certs[0].ToJson() + "," + certs[1].ToJson() + "]");

    [Theory]
    [MemberData(nameof(GroupNames))]
    public async Task A_2_of_3_ceremony_with_JavaScript_trustees_1_and_3_and_a_CSharp_trustee_2_gives_valid_parameters_and_decrypts_the_tally(string groupName)
    {
        var group = Groups.Get(groupName);

        // Step 1: trustees 1 and 3 in JavaScript, trustee 2 in C#.
        var js1 = await JsCertificateAsync(groupName, 1);
        var cs2 = ThresholdKeys.Certificate(group, 3, 2, 2);
        var js3 = await JsCertificateAsync(groupName, 3);
        foreach (var (js, index) in new[] { (js1, 1), (js3, 3) })
        {
            Assert.Equal(js.Certificate.ToJson(), js.CertificateJson);
            var keys = CertKeys.Parse(js.Certificate.Message, group);
            Assert.Equal(keys.ToJson(), js.Certificate.Message);
            Assert.Equal(new CertContext(groupName, 3, 2, index), keys.Context);
            Assert.True(TrusteeKeys.VerifySignature(group, keys.Verification, js.Certificate));
            // The keys are derived from the seed as C# derives them.
            Assert.True(group.AreEqual(group.GeneratorPowerSecret(TrusteeKeys.DeriveSigningKey(js.Seed, group)), keys.Verification));
            Assert.True(group.AreEqual(group.GeneratorPowerSecret(TrusteeKeys.DeriveDecryptionKey(js.Seed, group)), keys.Encryption));
            Assert.Equal(22, js.Seed.Length);
        }
        Assert.NotEqual(js1.Seed, js3.Seed);
        SignedMessage[] certs = [js1.Certificate, cs2.Certificate, js3.Certificate];
        Assert.Equal(2, ThresholdKeys.CheckCertificates(group, certs));
        var certsFile = await CertsFileAsync(certs);

        // Step 3: the polynomials; the C# server checks their signatures and routes the shares (step 4).
        var p1Json = await Cli.BrowserLibraryOkAsync("threshold-polynomial", groupName, certsFile, js1.SeedFile);
        var p3Json = await Cli.BrowserLibraryOkAsync("threshold-polynomial", groupName, certsFile, js3.Seed);
        var p1 = ThresholdPolynomial.Parse(p1Json, group);
        var p3 = ThresholdPolynomial.Parse(p3Json, group);
        Assert.Equal(p1Json, p1.ToJson());
        Assert.Equal(p3Json, p3.ToJson());
        Assert.Equal(3, p1.Secrets.Count);
        Assert.Equal(3, p1.Secrets.Distinct().Count());

        // Trustee 1's polynomial, encrypted and signed for herself, opens in C# and matches her commitments.
        var dk1 = TrusteeKeys.DeriveDecryptionKey(js1.Seed, group);
        var vk1 = CertKeys.Parse(js1.Certificate.Message, group).Verification;
        using (var raw = JsonDocument.Parse(TrusteeKeys.Receive(group, dk1, vk1, p1.Polynomial)))
        {
            var coefficients = raw.RootElement.GetProperty("polynomial").EnumerateArray().Select(a => Zq.Parse(a.GetString()!, group.Order)).ToList();
            var commitments = RawCoefexps.Parse(p1.Coefexps.Message, group, "coefexps");
            Assert.Equal(RawCoefexps.ToJson(commitments), p1.Coefexps.Message);
            Assert.Equal(2, coefficients.Count);
            Assert.All(coefficients.Zip(commitments), c => Assert.True(group.AreEqual(group.GeneratorPowerSecret(c.First), c.Second)));
        }

        ThresholdPolynomial[] polynomials = [p1, ThresholdKeys.Polynomial(group, certs, cs2.Seed), p3];
        var inputs = ThresholdKeys.Inputs(group, certs, polynomials);

        // Step 5: each trustee opens the shares sent to her (JavaScript ↔ C# both ways) and checks them.
        var o1Json = await Cli.BrowserLibraryOkAsync("threshold-output", groupName, certsFile, js1.SeedFile, await WriteAsync("vinput-1.json", inputs[0].ToJson()));
        var o3Json = await Cli.BrowserLibraryOkAsync("threshold-output", groupName, certsFile, js3.SeedFile, await WriteAsync("vinput-3.json", inputs[2].ToJson()));
        var o1 = ThresholdOutput.Parse(o1Json, group);
        var o3 = ThresholdOutput.Parse(o3Json, group);
        Assert.Equal(o1Json, o1.ToJson());
        Assert.Equal(o3Json, o3.ToJson());
        ThresholdOutput[] outputs = [o1, ThresholdKeys.Output(group, certs, cs2.Seed, inputs[1]), o3];

        // Step 6 (server): the parameters, checked as Belenios' check_pedersen does.
        var parameters = ThresholdKeys.Parameters(group, certs, polynomials, outputs);
        Assert.Null(ThresholdKeys.CheckParameters(group, parameters));
        var shares = new[] { (js1.Seed, o1), (cs2.Seed, outputs[1]), (js3.Seed, o3) }
            .Select(s => ThresholdKeys.OpenDecryptionKey(group, s.Item1, s.Item2.PrivateKey)).ToList();
        for (var j = 0; j < 3; j++)
        {
            Assert.True(group.AreEqual(group.GeneratorPowerSecret(shares[j]), parameters.VerificationKeys[j].PublicKey));
        }
        var trustees = TrusteesRecord.Create([new TrusteeKind.Pedersen(parameters)], group);
        Assert.Null(ElectionKey.Check(group, trustees));
        Assert.Equal(3, trustees.OwnerCount);

        // An election under that key; weighted ballots tallied in C#.
        var election = ElectionRecord.Create(new ElectionTemplate("Seuil", "Deux assesseurs sur trois", Questions), Base58.NewUuid(), group,
            ElectionKey.Combine(group, trustees));
        var electionFile = await WriteAsync("election.json", election.Raw);
        var tally = Tallying.EncryptedTally(election,
            Votes.Select(v => new CountedBallot(BallotEncryption.Encrypt(election, Credentials.NewPrivate(), v.Choice), v.Weight)).ToList());
        var tallyFile = await WriteAsync("encrypted_tally.json", tally.ToJson());

        // Partial decryptions: trustee 1 with the decryption-key file the server keeps (a JSON string), trustee 3 with
        // her output record; trustee 2 in C#.
        var key1File = await WriteAsync("decryption-key-1.json", Json.Quote(o1.PrivateKey));
        var pd1Json = await Cli.BrowserLibraryOkAsync("threshold-decrypt", electionFile, tallyFile, js1.SeedFile, key1File);
        var pd3Json = await Cli.BrowserLibraryOkAsync("threshold-decrypt", electionFile, tallyFile, js3.SeedFile, await WriteAsync("output-3.json", o3Json));
        var pd1 = PartialDecryption.Parse(pd1Json, group);
        var pd3 = PartialDecryption.Parse(pd3Json, group);
        Assert.Equal(pd1.ToJson(), pd1Json);
        Assert.Equal(pd3.ToJson(), pd3Json);
        Assert.Null(Tallying.CheckPartialDecryption(election, tally, parameters.VerificationKeys[0].PublicKey, pd1));
        Assert.Null(Tallying.CheckPartialDecryption(election, tally, parameters.VerificationKeys[2].PublicKey, pd3));
        Assert.NotNull(Tallying.CheckPartialDecryption(election, tally, parameters.VerificationKeys[1].PublicKey, pd1)); // bound to its trustee's key
        var pd2 = Tallying.Decrypt(election, tally, shares[1]);

        // Any two of the three (one JavaScript, one C#) give the result; one alone does not.
        foreach (var byOwner in new[] { new Dictionary<int, PartialDecryption> { [1] = pd1, [2] = pd2 }, new() { [2] = pd2, [3] = pd3 }, new() { [1] = pd1, [3] = pd3 } })
        {
            var factors = Tallying.CombineFactors(election, trustees, byOwner, tally);
            Assert.True(factors.IsSuccess, factors.Problem);
            var result = Tallying.ComputeResult(election, tally, factors.Value!, 10);
            Assert.True(result.IsSuccess, result.Problem);
            Assert.Equal(ExpectedResult, result.Value!.ToJson());
        }
        Assert.False(Tallying.CombineFactors(election, trustees, new Dictionary<int, PartialDecryption> { [1] = pd1 }, tally).IsSuccess);

        // Another trustee's encrypted key share does not open with this seed.
        var wrong = await Cli.BrowserLibraryAsync("threshold-decrypt", electionFile, tallyFile, js3.SeedFile, key1File);
        Assert.Equal(1, wrong.ExitCode);
        Assert.Contains("the decryption key cannot be opened with this seed", wrong.StdErr);
        Assert.Empty(wrong.StdOut);
        Assert.DoesNotContain(js3.Seed, wrong.StdErr + wrong.StdOut);
    }

    [Fact]
    public async Task A_tampered_or_misrouted_share_makes_the_JavaScript_output_fail_naming_the_trustee()
    {
        const string groupName = "Ed25519";
        var group = Groups.Get(groupName);
        var js1 = await JsCertificateAsync(groupName, 1);
        var cs2 = ThresholdKeys.Certificate(group, 3, 2, 2);
        var cs3 = ThresholdKeys.Certificate(group, 3, 2, 3);
        SignedMessage[] certs = [js1.Certificate, cs2.Certificate, cs3.Certificate];
        var certsFile = await CertsFileAsync(certs);
        var p1 = ThresholdPolynomial.Parse(await Cli.BrowserLibraryOkAsync("threshold-polynomial", groupName, certsFile, js1.SeedFile), group);
        ThresholdPolynomial[] polynomials = [p1, ThresholdKeys.Polynomial(group, certs, cs2.Seed), ThresholdKeys.Polynomial(group, certs, cs3.Seed)];
        var inputs = ThresholdKeys.Inputs(group, certs, polynomials);

        async Task<Cli.Outcome> OutputAsync(ThresholdInput input) =>
            await Cli.BrowserLibraryAsync("threshold-output", groupName, certsFile, js1.SeedFile, await WriteAsync("vinput.json", input.ToJson()));

        // As routed, the input is accepted: the failures below come from the changes alone.
        var fine = await OutputAsync(inputs[0]);
        Assert.True(fine.ExitCode == 0, fine.ToString());
        Assert.Equal(ThresholdOutput.Parse(fine.StdOut.Trim(), group).ToJson(), fine.StdOut.Trim());

        // Trustee 2 sends a share of another polynomial: signed and encrypted for trustee 1, but not what it committed to.
        var rogue = ThresholdKeys.Polynomial(group, certs, cs2.Seed);
        var outcome = await OutputAsync(inputs[0] with { Secrets = [inputs[0].Secrets[0], rogue.Secrets[0], inputs[0].Secrets[2]] });
        Assert.Equal(1, outcome.ExitCode);
        Assert.Contains("error: the share from trustee 2 does not match its commitments", outcome.StdErr);
        Assert.Empty(outcome.StdOut);

        // A hexadecimal digit of trustee 3's encrypted share changed: AES-CCM refuses it.
        var share = inputs[0].Secrets[2];
        var at = share.IndexOf("\"data\":\"", StringComparison.Ordinal) + 8 + 10;
        var tampered = share[..at] + (share[at] == '0' ? '1' : '0') + share[(at + 1)..];
        outcome = await OutputAsync(inputs[0] with { Secrets = [inputs[0].Secrets[0], inputs[0].Secrets[1], tampered] });
        Assert.Equal(1, outcome.ExitCode);
        Assert.Contains("error: the share from trustee 3 cannot be opened by trustee 1: the message could not be decrypted", outcome.StdErr);

        // Trustee 2's share for trustee 3 routed to trustee 1: encrypted for someone else.
        outcome = await OutputAsync(inputs[0] with { Secrets = [inputs[0].Secrets[0], inputs[2].Secrets[1], inputs[0].Secrets[2]] });
        Assert.Equal(1, outcome.ExitCode);
        Assert.Contains("error: the share from trustee 2 cannot be opened by trustee 1", outcome.StdErr);

        // Trustee 3's whole input given to trustee 1.
        outcome = await OutputAsync(inputs[2]);
        Assert.Equal(1, outcome.ExitCode);
        Assert.Contains("error: the input's polynomial is not trustee 1's own", outcome.StdErr);

        // A commitment list signed by trustee 3 in trustee 2's place.
        outcome = await OutputAsync(inputs[0] with { Coefexps = [inputs[0].Coefexps[0], inputs[0].Coefexps[2], inputs[0].Coefexps[2]] });
        Assert.Equal(1, outcome.ExitCode);
        Assert.Contains("error: the commitments of trustee 2 are not signed by that trustee", outcome.StdErr);

        // The seed is a secret: never in the messages.
        Assert.DoesNotContain(js1.Seed, outcome.StdErr);

        // A threshold above the number of trustees is refused at step 1.
        var badCert = await Cli.BrowserLibraryAsync("threshold-cert", groupName, "3", "4", "1");
        Assert.Equal(1, badCert.ExitCode);
        Assert.Contains("need 1 ≤ threshold ≤ size and 1 ≤ index ≤ size (size 3, threshold 4, index 1)", badCert.StdErr);
    }
}
