using System.Data.Common;
using Dapper;
using Socle.Modules.Voting.Elections;
using Socle.Modules.Voting.Records;
using Socle.Platform;

namespace Socle.Modules.Voting.Service;

/// <summary>
/// Where a threshold trustee stands in the key ceremony: <see cref="Phase"/> is <c>certificate</c>, <c>polynomial</c>,
/// <c>output</c> (this trustee's step is awaited), <c>waiting</c> (the others' are) or <c>done</c>. The certificates
/// appear once all are in, the trustee's input once every polynomial is in, the encrypted key share once the output is.
/// </summary>
public sealed record ThresholdStatus(int Size, int Threshold, int Position, string Phase, string? CertificatesJson, string? InputJson, string? EncryptedKeyJson);

/// <summary>
/// The threshold key ceremony (Belenios' Pedersen protocol) run by the service when the bureau sets a threshold t:
/// each of the n trustees makes a certificate, then a polynomial with encrypted shares for the others, then checks the
/// shares it received and publishes its verification key — every step in their browser, from a secret seed that never
/// leaves it. The server checks each step as it arrives (the checks of <see cref="ThresholdKeys"/>), routes the shares,
/// and assembles the threshold group; trustees.json is then the server's own single key and that group, so the result
/// needs the server's partial decryption and any t of the n trustees'.
/// </summary>
public sealed partial class ElectionService
{
    private static string CertKey(int p) => $"th_cert_{p}";

    private static string PolynomialKey(int p) => $"th_poly_{p}";

    private static string InputKey(int p) => $"th_input_{p}";

    private static string OutputKey(int p) => $"th_out_{p}";

    private const string ParametersKey = "th_params";

    private static async Task<int> PeopleAsync(DbConnection c, DbTransaction? tx) =>
        (int)await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM trustees WHERE is_server = 0", transaction: tx);

    private static List<string> Stored(Dictionary<string, string> settings, Func<int, string> key, int n) =>
        Enumerable.Range(1, n).Select(p => settings.GetValueOrDefault(key(p))).TakeWhile(v => v is not null).Select(v => v!).ToList();

    /// <summary>The ceremony as trustee <paramref name="position"/> (1 to n) sees it.</summary>
    internal static ThresholdStatus ThresholdStatusOf(Dictionary<string, string> s, int n, int threshold, int position)
    {
        var certs = Stored(s, CertKey, n);
        var polynomials = Stored(s, PolynomialKey, n);
        var outputs = Stored(s, OutputKey, n);
        var phase = certs.Count < n ? (s.ContainsKey(CertKey(position)) ? "waiting" : "certificate")
            : polynomials.Count < n ? (s.ContainsKey(PolynomialKey(position)) ? "waiting" : "polynomial")
            : outputs.Count < n ? (s.ContainsKey(OutputKey(position)) ? "waiting" : "output")
            : "done";
        return new ThresholdStatus(n, threshold, position, phase,
            certs.Count == n ? "[" + string.Join(",", certs) + "]" : null,
            s.GetValueOrDefault(InputKey(position)),
            s.GetValueOrDefault(OutputKey(position)));
    }

    /// <summary>
    /// One step of a trustee's part of the threshold ceremony (<c>certificate</c>, <c>polynomial</c> or <c>output</c>),
    /// made in their browser. Refused out of turn, twice, or when it does not pass the checks; the last polynomial routes
    /// the shares, the last output assembles and checks the threshold group.
    /// </summary>
    public async Task<Result<ThresholdStatus>> AddThresholdStepAsync(string id, string token, string step, string json, CancellationToken ct = default)
    {
        if (step is not ("certificate" or "polynomial" or "output"))
        {
            return Error.Validation("step", "must be certificate, polynomial or output");
        }
        ThresholdStatus? status = null;
        var r = await TransitionAsync(id, [ElectionStates.Setup], null, "threshold_" + step, async (c, tx, _) =>
        {
            if (await FindTrusteeAsync(c, tx, token) is not { } t)
            {
                return (object?)Error.Unauthorized("This trustee link is not valid for this election.");
            }
            var d = await DefinitionAsync(c, tx);
            if (d.Threshold is not { } threshold)
            {
                return Error.Conflict("single_keys", "this election does not use a threshold: each trustee gives a public key");
            }
            var group = GroupOf(d);
            var n = await PeopleAsync(c, tx);
            var position = t.Idx - 1;
            var s = await SettingsAsync(c, tx);
            var before = ThresholdStatusOf(s, n, threshold, position);
            if (before.Phase != step)
            {
                return Error.Conflict("out_of_turn", before.Phase switch
                {
                    "waiting" => $"{step}: your step is recorded; the other trustees' are awaited",
                    "done" => $"{step}: the key ceremony is complete",
                    _ => $"{step}: the step now is {before.Phase}",
                });
            }
            try
            {
                switch (step)
                {
                    case "certificate":
                        {
                            var cert = ReadCertificate(json, group);
                            ThresholdKeys.CheckCertificate(group, cert, new CertContext(group.Name, n, threshold, position));
                            await SetAsync(c, tx, CertKey(position), cert.ToJson());
                        }
                        break;
                    case "polynomial":
                        {
                            var certs = Certificates(s, n, group);
                            var polynomial = ThresholdPolynomial.Parse(json, group);
                            ThresholdKeys.CheckPolynomial(group, certs, threshold, position, polynomial);
                            await SetAsync(c, tx, PolynomialKey(position), polynomial.ToJson());
                            s[PolynomialKey(position)] = polynomial.ToJson();
                            var polynomials = Stored(s, PolynomialKey, n);
                            if (polynomials.Count == n)
                            {
                                var inputs = ThresholdKeys.Inputs(group, certs, polynomials.Select(p => ThresholdPolynomial.Parse(p, group)).ToList());
                                for (var j = 0; j < n; j++)
                                {
                                    await SetAsync(c, tx, InputKey(j + 1), inputs[j].ToJson());
                                }
                            }
                        }
                        break;
                    default:
                        {
                            var certs = Certificates(s, n, group);
                            var polynomials = Stored(s, PolynomialKey, n).Select(p => ThresholdPolynomial.Parse(p, group)).ToList();
                            // The polynomials were checked as they arrived: only their commitments are needed here.
                            var coefexps = polynomials.Select((p, i) => RawCoefexps.Parse(p.Coefexps.Message, group, $"polynomial {i + 1}")).ToList();
                            var output = ThresholdOutput.Parse(json, group);
                            if (ThresholdKeys.VerificationKeyProblem(group, coefexps, position, output.PublicKey) is { } wrong)
                            {
                                return Error.Validation("output", wrong);
                            }
                            await SetAsync(c, tx, OutputKey(position), output.ToJson());
                            await c.ExecuteAsync("UPDATE trustees SET public_key = @k WHERE idx = @i", new { k = output.PublicKey.ToJson(), i = t.Idx }, tx);
                            s[OutputKey(position)] = output.ToJson();
                            var outputs = Stored(s, OutputKey, n);
                            if (outputs.Count == n)
                            {
                                var parameters = ThresholdKeys.Parameters(group, certs, polynomials, outputs.Select(o => ThresholdOutput.Parse(o, group)).ToList());
                                await SetAsync(c, tx, ParametersKey, parameters.ToJson());
                            }
                        }
                        break;
                }
            }
            catch (RecordFormatException e)
            {
                return Error.Validation(step, e.Message);
            }
            status = ThresholdStatusOf(await SettingsAsync(c, tx), n, threshold, position);
            return new { trustee = t.Idx, step };
        }, ct, "the key ceremony happens during the setup");
        return r.IsSuccess ? status! : r.Error!;
    }

    private static List<SignedMessage> Certificates(Dictionary<string, string> s, int n, Crypto.Group group) =>
        Stored(s, CertKey, n).Select(json => ReadCertificate(json, group)).ToList();

    private static SignedMessage ReadCertificate(string json, Crypto.Group group)
    {
        using var doc = Json.ParseDocument(json, "certificate");
        return SignedMessage.Read(doc.RootElement, "certificate", group.Order);
    }

    /// <summary>trustees.json of a threshold election: the server's single key, then the trustees' threshold group.</summary>
    private static async Task<Result<TrusteesRecord>> ThresholdTrusteesAsync(DbConnection c, DbTransaction tx, Crypto.Group group)
    {
        var s = await SettingsAsync(c, tx);
        if (s.GetValueOrDefault(ParametersKey) is not { } parameters)
        {
            return Error.Conflict("key_ceremony_incomplete", "the trustees' threshold key ceremony is not complete (certificates, polynomials, outputs)");
        }
        var server = await c.QuerySingleAsync<string>("SELECT public_key FROM trustees WHERE idx = 1", transaction: tx);
        return TrusteesRecord.Create(
            [new TrusteeKind.Single(TrusteePublicKey.Parse(server, group)), new TrusteeKind.Pedersen(ThresholdParameters.Parse(parameters, group))], group);
    }
}
