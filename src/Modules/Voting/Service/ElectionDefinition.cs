using Socle.Modules.Voting.Crypto;
using Socle.Modules.Voting.Records;
using Socle.Platform;

namespace Socle.Modules.Voting.Service;

/// <summary>One question as the bureau writes it: answers (lists or candidates) in the official order, never shuffled.</summary>
public sealed record QuestionDefinition(string Text, IReadOnlyList<string> Answers, bool Blank = false, bool NullVote = false, int Min = 1, int Max = 1);

/// <summary>
/// What the bureau électoral decides before the vote: the questions, the group, whether a voter may vote again (the
/// last ballot counts), the opening and closing times, how voters sign in, the appeal period before destruction, the
/// CNIL risk level, and the threshold: how many trustees are needed to decrypt (t of n, with the server's own share
/// always needed too; absent, every trustee is needed). Editable only while the election is a draft; frozen into election.json at setup.
/// </summary>
public sealed record ElectionDefinition(
    string Name,
    string Description,
    IReadOnlyList<QuestionDefinition> Questions,
    string? Notice = null,
    string Group = "Ed25519",
    bool Revote = true,
    DateTimeOffset? OpensAt = null,
    DateTimeOffset? ClosesAt = null,
    string VoterAuthentication = "code",
    int AppealDays = 90,
    int RiskLevel = 2,
    int? Threshold = null)
{
    /// <summary>The label of the extra answer that stands for a null vote where the rules allow one.</summary>
    public const string NullVoteLabel = "Vote nul / Null vote";

    public static readonly string[] Authentications = ["code", "password"];

    /// <summary>Every problem at once, keyed by the field at fault (<c>questions[1].max</c>).</summary>
    public Error? Validate()
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        void Add(string field, string message) => errors[field] = [.. errors.GetValueOrDefault(field, []), message];
        if (string.IsNullOrWhiteSpace(Name) || Name.Length > 200)
        {
            Add("name", "is required (at most 200 characters)");
        }
        if (Description is null || Description.Length > 5000)
        {
            Add("description", "is required (at most 5,000 characters; may be empty)");
        }
        if (Notice is { Length: > 50_000 })
        {
            Add("notice", "is at most 50,000 characters");
        }
        if (!Groups.TryGet(Group ?? "", out _))
        {
            Add("group", $"must be one of {string.Join(", ", Groups.Names)}");
        }
        if (!Authentications.Contains(VoterAuthentication))
        {
            Add("voterAuthentication", "must be 'code' (one-time code by e-mail) or 'password'");
        }
        if (AppealDays is < 0 or > 3650)
        {
            Add("appealDays", "must be between 0 and 3650");
        }
        if (RiskLevel is < 1 or > 3)
        {
            Add("riskLevel", "must be 1, 2 or 3 (see the CNIL questionnaire)");
        }
        if (Threshold is < 1 or > 100)
        {
            Add("threshold", "must be between 1 and the number of trustees (at most 100), or absent when every trustee is needed");
        }
        if (OpensAt is { } o && ClosesAt is { } c && c <= o)
        {
            Add("closesAt", "must be after opensAt");
        }
        if (Questions is null || Questions.Count == 0)
        {
            Add("questions", "at least one question is needed");
        }
        else if (Questions.Count > 100)
        {
            Add("questions", "at most 100 questions");
        }
        else
        {
            for (var i = 0; i < Questions.Count; i++)
            {
                var q = Questions[i];
                var p = $"questions[{i}]";
                if (q is null)
                {
                    Add(p, "is empty");
                    continue;
                }
                if (string.IsNullOrWhiteSpace(q.Text))
                {
                    Add(p + ".text", "is required");
                }
                if (q.Answers is null || q.Answers.Count == 0)
                {
                    Add(p + ".answers", "at least one answer is needed");
                    continue;
                }
                if (q.Answers.Count > Question.MaxAnswers - 1)
                {
                    Add(p + ".answers", $"at most {Question.MaxAnswers - 1} answers");
                }
                for (var j = 0; j < q.Answers.Count; j++)
                {
                    if (string.IsNullOrWhiteSpace(q.Answers[j]))
                    {
                        Add($"{p}.answers[{j}]", "is empty");
                    }
                }
                if (q.Answers.Distinct(StringComparer.Ordinal).Count() != q.Answers.Count)
                {
                    Add(p + ".answers", "two answers have the same text");
                }
                var slots = q.Answers.Count + (q.NullVote ? 1 : 0);
                if (q.Min < 0 || q.Min > slots)
                {
                    Add(p + ".min", $"must be between 0 and the number of answers ({slots})");
                }
                if (q.Max < 1 || q.Max > slots || q.Max < q.Min)
                {
                    Add(p + ".max", $"must be between max(1, min) and the number of answers ({slots})");
                }
                if (q.Blank && q.Min == 0)
                {
                    Add(p + ".min", "a question with a blank vote needs min ≥ 1 (blank is how a voter selects nothing)");
                }
            }
        }
        return errors.Count == 0 ? null : Error.Validation(errors);
    }

    /// <summary>The Belenios template: the null vote, where allowed, is one more answer after the official list.</summary>
    public ElectionTemplate ToTemplate() => new(Name, Description ?? "",
        Questions.Select(q => new Question(q.Text, q.NullVote ? [.. q.Answers, NullVoteLabel] : q.Answers, q.Blank ? true : null, q.Min, q.Max)).ToList());
}
