using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Socle.Modules.Voting.Compliance;
using Socle.Modules.Voting.Service;
using Socle.Platform;
using Socle.Platform.Web;

namespace Socle.Modules.Voting.Api;

/// <summary>
/// The CNIL 2019 recommendation as an API: the risk-level questionnaire (public: it holds no data) and an election's
/// compliance report (the bureau's). Statuses and levels are written as words (<c>met</c>, <c>not_met</c>,
/// <c>organisational_measure</c>), texts in French and English.
/// </summary>
public static class ComplianceApi
{
    public sealed record Text(string Fr, string En)
    {
        public static Text Of(LocalizedText t) => new(t.Fr, t.En);
    }

    public sealed record ObjectiveDto(string Id, string Kind, int Level, Text Title, Text Text, Text Mechanism, IReadOnlyList<string> Evidence, Text? OrganiserMeasure)
    {
        public static ObjectiveDto Of(CnilItem i) => new(i.Id, Word(i.Kind.ToString()), (int)i.Level, Text.Of(i.Title), Text.Of(i.Text), Text.Of(i.Mechanism), i.Evidence,
            i.OrganiserMeasure is { } m ? Text.Of(m) : null);
    }

    public sealed record QuestionDto(string Id, Text Text, IReadOnlyList<string>? Choices);

    public sealed record ReasonDto(string Question, int Level, Text Text);

    public sealed record AssessmentDto(int Level, bool InternetVotingDiscouraged, IReadOnlyList<ReasonDto> Reasons, IReadOnlyList<ObjectiveDto> Objectives);

    public sealed record FindingDto(string Id, string Status, Text Reason, ObjectiveDto Objective);

    public sealed record ReportDto(int Level, bool NothingNotMet, int Met, int NotMet, int OrganisationalMeasures, IReadOnlyList<FindingDto> Findings);

    public static void Map(IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/voting").WithTags("Voting compliance").DisableAntiforgery();
        api.MapGet("/risk", () => Results.Ok(RiskQuestionnaire.Questions.Select(q => new QuestionDto(q.Id, Text.Of(q.Text), Choices(q.Id))).ToList()))
            .WithSummary("The CNIL risk-level questionnaire: its questions and, for each, the accepted answers");
        api.MapPost("/risk", async (HttpContext h) =>
        {
            var text = await RequestText.ReadAsync(h.Request, 16 << 10, h.RequestAborted);
            if (text is null)
            {
                return Error.Validation("body", "is larger than 16 KiB").ToProblem();
            }
            var parsed = Parse(text);
            return parsed.IsSuccess ? Results.Ok(Assess(parsed.Value)) : parsed.Error!.ToProblem();
        }).WithSummary("Answers to the questionnaire → the risk level (1, 2 or 3), why, and the objectives that apply");
        api.MapGet("/elections/{id}/compliance", async (string id, HttpContext h, ElectionService s, CancellationToken ct) =>
        {
            if (await s.AuthoriseBureauAsync(id, ElectionsApi.BearerToken(h), ct) is { } e)
            {
                return e.ToProblem();
            }
            var r = await s.ComplianceAsync(id, ct);
            return r.IsSuccess ? Results.Ok(Report(r.Value)) : r.Error!.ToProblem();
        }).WithSummary("Bureau: the election's compliance report — every objective of its level with its mechanism and status");
    }

    /// <summary>The answers, every problem named by its field.</summary>
    public static Result<RiskAnswers> Parse(string json)
    {
        JsonElement root;
        try
        {
            root = JsonDocument.Parse(json).RootElement;
        }
        catch (JsonException e)
        {
            return Error.Validation("body", "is not JSON: " + e.Message.Split(" Path:")[0]);
        }
        if (root.ValueKind != JsonValueKind.Object)
        {
            return Error.Validation("body", "must be a JSON object with the answers");
        }
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        T Get<T>(string name, Func<JsonElement, T> read)
        {
            var key = char.ToLowerInvariant(name[0]) + name[1..];
            if (!root.TryGetProperty(key, out var p))
            {
                errors[key] = ["is required"];
                return default!;
            }
            try
            {
                return read(p);
            }
            catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
            {
                var choices = Choices(name);
                errors[key] = [choices is null ? $"is not valid here ({e.Message.Split(" Path:")[0]})" : $"must be one of {string.Join(", ", choices)}"];
                return default!;
            }
        }
        TEnum Enum<TEnum>(JsonElement e) where TEnum : struct, Enum =>
            e.ValueKind == JsonValueKind.String && e.GetString() is { Length: > 0 } w && !char.IsDigit(w[0])
            && System.Enum.TryParse<TEnum>(w.Replace("_", "", StringComparison.Ordinal), ignoreCase: true, out var v) && System.Enum.IsDefined(v)
                ? v : throw new FormatException("unknown value");
        var answers = new RiskAnswers(
            Get(nameof(RiskAnswers.Kind), Enum<ElectionKind>),
            Get(nameof(RiskAnswers.Voters), e => e.GetInt32() is var n and >= 0 ? n : throw new FormatException("must be 0 or more")),
            Get(nameof(RiskAnswers.Stakes), Enum<Stakes>),
            Get(nameof(RiskAnswers.ConflictOrTension), e => e.GetBoolean()),
            Get(nameof(RiskAnswers.PastIncidentsOrDisputes), e => e.GetBoolean()),
            Get(nameof(RiskAnswers.AdministratorIsNeutral), e => e.GetBoolean()),
            Get(nameof(RiskAnswers.ThreatResources), Enum<ThreatCapacity>),
            Get(nameof(RiskAnswers.ThreatMotivation), Enum<ThreatCapacity>));
        return errors.Count > 0 ? Error.Validation(errors) : answers;
    }

    public static AssessmentDto Assess(RiskAnswers answers)
    {
        var a = RiskQuestionnaire.Assess(answers);
        return new AssessmentDto((int)a.Level, a.InternetVotingDiscouraged,
            a.Reasons.Select(r => new ReasonDto(r.Question, (int)r.PointsTo, Text.Of(r.Text))).ToList(),
            a.Objectives.Select(ObjectiveDto.Of).ToList());
    }

    public static ReportDto Report(ComplianceReport r) => new(
        (int)r.Settings.RiskLevel, r.NothingNotMet,
        r.With(ComplianceStatus.Met).Count(), r.With(ComplianceStatus.NotMet).Count(), r.With(ComplianceStatus.NeedsOrganisationalMeasure).Count(),
        r.Findings.Select(f => new FindingDto(f.Id, Status(f.Status), Text.Of(f.Reason), ObjectiveDto.Of(f.Item))).ToList());

    public static string Status(ComplianceStatus s) => s switch
    {
        ComplianceStatus.Met => "met",
        ComplianceStatus.NotMet => "not_met",
        _ => "organisational_measure",
    };

    private static IReadOnlyList<string>? Choices(string question) => question switch
    {
        nameof(RiskAnswers.Kind) => Names<ElectionKind>(),
        nameof(RiskAnswers.Stakes) => Names<Stakes>(),
        nameof(RiskAnswers.ThreatResources) or nameof(RiskAnswers.ThreatMotivation) => Names<ThreatCapacity>(),
        nameof(RiskAnswers.Voters) => null,
        _ => ["true", "false"],
    };

    private static string[] Names<TEnum>() where TEnum : struct, Enum => [.. System.Enum.GetNames<TEnum>().Select(Word)];

    private static string Word(string pascal) => JsonNamingPolicy.SnakeCaseLower.ConvertName(pascal);
}
