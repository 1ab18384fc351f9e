using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Socle.Modules.Batteries.Access;

/// <summary>
/// Cuts a passport's content down to what a group may read. The result holds only attributes the group may read and the
/// objects leading to them: a restricted attribute is absent, not emptied or nulled, and an object that would hold only
/// restricted attributes is absent too, so nothing tells that restricted data exists. Properties the catalogue does not
/// list are dropped (deny by default); the operator reads its content as stored.
/// </summary>
public static class AccessFilter
{
    private sealed class Node
    {
        public Dictionary<string, Node> Children { get; } = new(StringComparer.Ordinal);

        public PassportAttribute? Attribute { get; set; }
    }

    private static readonly Node Root = Build();

    private static Node Build()
    {
        var root = new Node();
        foreach (var attribute in AttributeCatalog.All)
        {
            var node = root;
            foreach (var segment in attribute.Segments)
            {
                if (!node.Children.TryGetValue(segment, out var child))
                {
                    child = new Node();
                    node.Children[segment] = child;
                }
                node = child;
            }
            node.Attribute = attribute;
        }
        return root;
    }

    /// <summary>Writes the part of <paramref name="content"/> (a passport's sections) that <paramref name="group"/> may read.</summary>
    public static void Write(Utf8JsonWriter writer, JsonElement content, AccessGroup group)
    {
        if (group == AccessGroup.Operator)
        {
            content.WriteTo(writer);
            return;
        }
        WriteObject(writer, content, Root, group);
    }

    public static byte[] FilterToUtf8(JsonElement content, AccessGroup group)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var writer = new Utf8JsonWriter(buffer, JsonText.Writer))
        {
            Write(writer, content, group);
        }
        return buffer.WrittenSpan.ToArray();
    }

    public static JsonObject Filter(JsonElement content, AccessGroup group) =>
        JsonNode.Parse(FilterToUtf8(content, group))!.AsObject();

    public static JsonObject Filter(JsonObject content, AccessGroup group)
    {
        using var doc = JsonDocument.Parse(content.ToJsonString(JsonText.Options));
        return Filter(doc.RootElement, group);
    }

    /// <summary>The attributes of the catalogue that <paramref name="content"/> holds and <paramref name="group"/> may read.</summary>
    public static IReadOnlyList<PassportAttribute> VisibleAttributes(JsonElement content, AccessGroup group) =>
        AttributeCatalog.All.Where(a => AccessRules.CanRead(group, a.Access) && Locate(content, a.Segments, out _)).ToList();

    /// <summary>Finds the value at a dotted attribute path.</summary>
    public static bool Locate(JsonElement content, string[] segments, out JsonElement value)
    {
        value = content;
        foreach (var s in segments)
        {
            if (value.ValueKind != JsonValueKind.Object || !value.TryGetProperty(s, out value))
            {
                return false;
            }
        }
        return true;
    }

    private static void WriteObject(Utf8JsonWriter writer, JsonElement element, Node node, AccessGroup group)
    {
        writer.WriteStartObject();
        foreach (var property in element.EnumerateObject())
        {
            if (!node.Children.TryGetValue(property.Name, out var child))
            {
                continue;
            }
            if (child.Attribute is { } attribute)
            {
                if (AccessRules.CanRead(group, attribute.Access))
                {
                    property.WriteTo(writer);
                }
            }
            else if (property.Value.ValueKind == JsonValueKind.Object && HasVisible(property.Value, child, group))
            {
                writer.WritePropertyName(property.Name);
                WriteObject(writer, property.Value, child, group);
            }
        }
        writer.WriteEndObject();
    }

    private static bool HasVisible(JsonElement element, Node node, AccessGroup group)
    {
        foreach (var property in element.EnumerateObject())
        {
            if (!node.Children.TryGetValue(property.Name, out var child))
            {
                continue;
            }
            if (child.Attribute is { } attribute)
            {
                if (AccessRules.CanRead(group, attribute.Access))
                {
                    return true;
                }
            }
            else if (property.Value.ValueKind == JsonValueKind.Object && HasVisible(property.Value, child, group))
            {
                return true;
            }
        }
        return false;
    }
}
