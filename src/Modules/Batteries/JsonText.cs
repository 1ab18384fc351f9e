using System.Text.Encodings.Web;
using System.Text.Json;

namespace Socle.Modules.Batteries;

/// <summary>
/// How the module writes JSON it stores or exports: UTF-8 as is (French text stays readable, "+01:00" stays "+01:00");
/// quotes, backslashes and control characters are escaped as JSON requires. Pages never embed this JSON unencoded.
/// </summary>
internal static class JsonText
{
    public static readonly JavaScriptEncoder Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;

    public static readonly JsonWriterOptions Writer = new() { Encoder = Encoder };

    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { Encoder = Encoder };

    public static readonly JsonSerializerOptions Indented = new(JsonSerializerDefaults.Web) { Encoder = Encoder, WriteIndented = true };
}
