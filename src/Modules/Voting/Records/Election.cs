using System.Text;
using System.Text.Json;
using Socle.Modules.Voting.Crypto;

namespace Socle.Modules.Voting.Records;

/// <summary>
/// A homomorphic question (specification §Questions): the voter selects between <see cref="Min"/> and <see cref="Max"/>
/// of the <see cref="Answers"/>; with <see cref="Blank"/>, she may instead vote blank (slot 0 of the encrypted answer).
/// </summary>
public sealed record Question(string Text, IReadOnlyList<string> Answers, bool? Blank, int Min, int Max)
{
    public const int MaxAnswers = 200;

    public bool AllowsBlank => Blank == true;

    /// <summary>Number of encrypted slots in an answer: one per candidate, plus the leading blank slot.</summary>
    public int Slots => Answers.Count + (AllowsBlank ? 1 : 0);

    public void Write(StringBuilder sb)
    {
        sb.Append('{').RawField("answers", Json.Strings(Answers), first: true);
        if (Blank is { } b)
        {
            sb.RawField("blank", b ? "true" : "false");
        }
        sb.IntField("min", Min).IntField("max", Max).Field("question", Text).Append('}');
    }

    public static Question Read(JsonElement e, string path)
    {
        if (e.GetOptional("type") is { } type)
        {
            var t = type.ValueKind == JsonValueKind.String ? type.GetString() : "?";
            throw new RecordFormatException($"{path}: questions of type '{t}' (non-homomorphic, counted after a mixnet) are not supported; only homomorphic questions are");
        }
        var answers = e.Get("answers", path).Array(path + ".answers", (x, p) => x.String(p), MaxAnswers);
        bool? blank = e.GetOptional("blank") is { } b ? b.Bool(path + ".blank") : null;
        var min = e.Get("min", path).Int(path + ".min");
        var max = e.Get("max", path).Int(path + ".max");
        var text = e.Get("question", path).String(path + ".question");
        var q = new Question(text, answers, blank, min, max);
        var problem = q.Problem();
        return problem is null ? q : throw new RecordFormatException($"{path}: {problem}");
    }

    /// <summary>Why the question cannot be used, or null.</summary>
    public string? Problem()
    {
        if (Answers.Count == 0)
        {
            return "a question needs at least one answer";
        }
        if (Min < 0 || Max < Min || Max > Answers.Count)
        {
            return $"min and max must satisfy 0 ≤ min ≤ max ≤ {Answers.Count} (the number of answers); got min {Min}, max {Max}";
        }
        if (AllowsBlank && Max == 0)
        {
            return "a question with blank votes must allow at least one answer (max ≥ 1)";
        }
        return null;
    }
}

/// <summary>An election template (what the administrator writes): name, description, questions.</summary>
public sealed record ElectionTemplate(string Name, string Description, IReadOnlyList<Question> Questions, string? Administrator = null, string? CredentialAuthority = null)
{
    public static ElectionTemplate Parse(string json)
    {
        using var doc = Json.ParseDocument(json, "template");
        var root = doc.RootElement;
        var t = new ElectionTemplate(
            root.Get("name", "template").String("template.name"),
            root.Get("description", "template").String("template.description"),
            root.Get("questions", "template").Array("template.questions", Question.Read, 100),
            root.GetOptional("administrator")?.String("template.administrator"),
            root.GetOptional("credential_authority")?.String("template.credential_authority"));
        if (t.Questions.Count == 0)
        {
            throw new RecordFormatException("template.questions: at least one question is needed");
        }
        return t;
    }

    public string ToJson()
    {
        var sb = new StringBuilder();
        sb.Append('{').Field("description", Description, first: true).Field("name", Name).Append(",\"questions\":[");
        for (var i = 0; i < Questions.Count; i++)
        {
            if (i > 0)
            {
                sb.Append(',');
            }
            Questions[i].Write(sb);
        }
        sb.Append(']');
        if (Administrator is not null)
        {
            sb.Field("administrator", Administrator);
        }
        if (CredentialAuthority is not null)
        {
            sb.Field("credential_authority", CredentialAuthority);
        }
        return sb.Append('}').ToString();
    }
}

/// <summary>
/// The <c>election</c> structure (specification §Elections, version 1), kept with the exact text it was read from:
/// its SHA-256 is the election's reference in <c>setup_data</c>, and φ (that hash in compact Base64) is the
/// fingerprint every ballot and proof refers to.
/// </summary>
public sealed class ElectionRecord
{
    private ElectionRecord(string raw, ElectionTemplate template, Group group, Element publicKey, string uuid)
    {
        Raw = raw;
        Template = template;
        Group = group;
        PublicKey = publicKey;
        Uuid = uuid;
        HashHex = Hashing.Sha256Hex(raw);
        Fingerprint = Hashing.HexToBase64(HashHex);
    }

    public string Raw { get; }

    public ElectionTemplate Template { get; }

    public string Name => Template.Name;

    public IReadOnlyList<Question> Questions => Template.Questions;

    public Group Group { get; }

    /// <summary>y, the election public key (the product of the trustees' keys).</summary>
    public Element PublicKey { get; }

    public string Uuid { get; }

    /// <summary>SHA-256 of <see cref="Raw"/> in hexadecimal.</summary>
    public string HashHex { get; }

    /// <summary>φ: the same hash in compact Base64, as in ballots (<c>election_hash</c>).</summary>
    public string Fingerprint { get; }

    public static ElectionRecord Parse(string raw)
    {
        using var doc = Json.ParseDocument(raw, "election");
        var root = doc.RootElement;
        const string P = "election";
        var version = root.Get("version", P).Int(P + ".version");
        if (version != 1)
        {
            throw new RecordFormatException($"election.version: {version} is not supported (Belenios election version 1 is)");
        }
        var groupName = root.Get("group", P).String(P + ".group");
        if (!Groups.TryGet(groupName, out var group))
        {
            throw new RecordFormatException($"election.group: unknown group '{groupName}' (known: {string.Join(", ", Groups.Names)})");
        }
        var uuid = root.Get("uuid", P).String(P + ".uuid");
        if (!Base58.IsToken(uuid, 14))
        {
            throw new RecordFormatException("election.uuid: not a Belenios uuid (at least 14 Base58 characters)");
        }
        var template = new ElectionTemplate(
            root.Get("name", P).String(P + ".name"),
            root.Get("description", P).String(P + ".description"),
            root.Get("questions", P).Array(P + ".questions", Question.Read, 100),
            root.GetOptional("administrator")?.String(P + ".administrator"),
            root.GetOptional("credential_authority")?.String(P + ".credential_authority"));
        var publicKey = root.Get("public_key", P).Element(P + ".public_key", group);
        return new ElectionRecord(raw, template, group, publicKey, uuid);
    }

    /// <summary>Writes a new election from a template, as Belenios' make-election does (fields in specification order).</summary>
    public static ElectionRecord Create(ElectionTemplate template, string uuid, Group group, Element publicKey)
    {
        var sb = new StringBuilder();
        sb.Append('{').IntField("version", 1, first: true)
            .Field("description", template.Description)
            .Field("name", template.Name)
            .Field("group", group.Name)
            .Field("public_key", publicKey.Encoded)
            .Append(",\"questions\":[");
        for (var i = 0; i < template.Questions.Count; i++)
        {
            if (i > 0)
            {
                sb.Append(',');
            }
            template.Questions[i].Write(sb);
        }
        sb.Append(']').Field("uuid", uuid);
        if (template.Administrator is not null)
        {
            sb.Field("administrator", template.Administrator);
        }
        if (template.CredentialAuthority is not null)
        {
            sb.Field("credential_authority", template.CredentialAuthority);
        }
        sb.Append('}');
        return Parse(sb.ToString());
    }
}
