using System.Numerics;
using Socle.Modules.Voting.Records;
using Socle.Testing;

namespace Socle.Voting.Tests;

/// <summary>The elections made by Belenios 2.5.1 (data/voting/belenios-2.5.1, see data/README.md).</summary>
public static class ReferenceElections
{
    public const string Ed25519 = "ed25519-10-voters";
    public const string Belenios2048 = "belenios2048-200-voters";

    public static string Folder(string name) => TestData.Path("voting", "belenios-2.5.1", name);

    public static string Board(string name) => Directory.GetFiles(Folder(name), "*.bel").Single();

    public static string Read(string name, string file) => File.ReadAllText(Path.Combine(Folder(name), file)).TrimEnd('\n');

    /// <summary>The first line of a file (belenios-tool writes the data, then its wrapper, on separate lines).</summary>
    public static string Line(string name, string file, int line = 0) => File.ReadAllLines(Path.Combine(Folder(name), file))[line];

    /// <summary>choices.txt: voter, private credential, plaintext choice.</summary>
    public static IReadOnlyList<(string Voter, string Credential, int[][] Choice)> Choices(string name) =>
        File.ReadAllLines(Path.Combine(Folder(name), "choices.txt"))
            .Where(l => l.Length > 0)
            .Select(l => l.Split(' ', 3))
            .Select(p => (p[0], p[1], System.Text.Json.JsonSerializer.Deserialize<int[][]>(p[2])!))
            .ToList();

    public static ElectionResult ExpectedResult(string name) => ElectionResult.Parse(Read(name, "result.json"));

    public static IReadOnlyList<BigInteger> Counts(ElectionResult r, int question) => r.Counts[question];
}
