using Socle.Modules.Voting.Demo;

namespace Socle.Voting.Tests;

/// <summary>Boards made once per test run: the demo election (Ed25519, 2-of-3 threshold, revote, blank).</summary>
public static class Boards
{
    private static readonly Lazy<(byte[] Bytes, string Uuid)> Demo = new(() => (VotingDemoData.Make(out var uuid, out _), uuid));

    public static byte[] DemoBytes => Demo.Value.Bytes;

    public static string DemoUuid => Demo.Value.Uuid;

    /// <summary>The demo board cut after its first <paramref name="events"/> events: a byte prefix of the full board.</summary>
    public static byte[] DemoPrefix(int events)
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(path, DemoBytes);
            var editor = new BoardEditor(path);
            editor.Steps.RemoveRange(events, editor.Steps.Count - events);
            return editor.Rechain();
        }
        finally
        {
            File.Delete(path);
        }
    }
}
