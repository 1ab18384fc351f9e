using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Socle.Modules.Batteries.Schemas;

/// <summary>One problem found by <see cref="JsonSchema.Validate"/>: where (a JSONPath such as
/// <c>$.batteryMaterials[0].batteryMaterialIdentifier</c>), which keyword failed, and why.</summary>
public sealed record SchemaError(string Path, string Keyword, string Message)
{
    public override string ToString() => $"{Path}: {Message}";
}

/// <summary>How strictly to validate.</summary>
public sealed record SchemaValidationOptions
{
    public static readonly SchemaValidationOptions Strict = new();

    /// <summary>Skip <c>required</c>: a partial document is checked for what it holds (the registry stores passports
    /// whose dynamic data is not there yet; completeness is reported separately).</summary>
    public bool IgnoreRequired { get; init; }

    /// <summary>Check <c>format</c> (date-time, date, uri, email, uuid). On by default.</summary>
    public bool CheckFormats { get; init; } = true;

    /// <summary>Stop after this many errors.</summary>
    public int MaxErrors { get; init; } = 200;
}

/// <summary>
/// A JSON Schema (draft-04, the dialect SAMM generates for the Battery Pass and Catena-X models), compiled once and then
/// used to validate many documents.
/// </summary>
/// <remarks>
/// Supported: <c>type</c> (one or several), <c>enum</c>, <c>minimum</c>/<c>maximum</c> with draft-04 boolean
/// <c>exclusiveMinimum</c>/<c>exclusiveMaximum</c>, <c>multipleOf</c>, <c>minLength</c>/<c>maxLength</c> (in code points),
/// <c>pattern</c> (ECMA-262 semantics: <c>\d</c> and <c>\w</c> are ASCII, the match is a search), <c>format</c>,
/// <c>items</c> (one schema or a tuple) with <c>additionalItems</c>, <c>minItems</c>/<c>maxItems</c>/<c>uniqueItems</c>,
/// <c>properties</c>/<c>patternProperties</c>/<c>additionalProperties</c>, <c>required</c>,
/// <c>minProperties</c>/<c>maxProperties</c>, <c>dependencies</c>, <c>allOf</c>/<c>anyOf</c>/<c>oneOf</c>/<c>not</c>, and
/// local <c>$ref</c> JSON pointers wherever the definitions are (<c>#/definitions/X</c> or SAMM's <c>#/components/schemas/X</c>,
/// which some validators need rewritten; this one follows any pointer into the document). A remote <c>$ref</c> is refused
/// when the schema is loaded. Everything else (<c>description</c>, <c>x-samm-*</c>) is an annotation and ignored.
/// Numbers compare exactly as decimals when they fit, as doubles otherwise (the published samples hold a 309-digit integer).
/// </remarks>
public sealed class JsonSchema
{
    private readonly JsonDocument _document;
    private readonly Dictionary<string, Node> _byPointer = new(StringComparer.Ordinal);
    private readonly Node _root;

    private JsonSchema(string id, JsonDocument document)
    {
        Id = id;
        _document = document;
        _root = Compile(document.RootElement, "#");
        // resolving a $ref may compile new nodes, which may hold references in turn: resolve until none is left
        var resolved = new HashSet<Node>();
        while (_byPointer.Values.Where(n => !resolved.Contains(n)).ToList() is { Count: > 0 } pending)
        {
            foreach (var node in pending)
            {
                node.Resolve(this);
                resolved.Add(node);
            }
        }
    }

    public string Id { get; }

    /// <summary>The schema as JSON (for <c>description</c> texts and tools).</summary>
    public JsonElement Root => _document.RootElement;

    /// <summary>Reads a schema from bytes in UTF-8 (with or without BOM) or UTF-16 (LE or BE, with BOM).</summary>
    public static JsonSchema Load(string id, ReadOnlySpan<byte> bytes) => Parse(id, DecodeText(bytes));

    public static JsonSchema Parse(string id, string json)
    {
        var document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 256 });
        return new JsonSchema(id, document);
    }

    /// <summary>Decodes a JSON file's bytes: UTF-8, or UTF-16 LE/BE when it starts with a BOM (several published Battery Pass files do).</summary>
    public static string DecodeText(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length >= 2 && bytes[0] == 0xFF && bytes[1] == 0xFE)
        {
            return Encoding.Unicode.GetString(bytes[2..]);
        }
        if (bytes.Length >= 2 && bytes[0] == 0xFE && bytes[1] == 0xFF)
        {
            return Encoding.BigEndianUnicode.GetString(bytes[2..]);
        }
        if (bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF)
        {
            bytes = bytes[3..];
        }
        return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
    }

    /// <summary>Validates <paramref name="instance"/> and returns every problem (empty when valid), in document order.</summary>
    public IReadOnlyList<SchemaError> Validate(JsonElement instance, SchemaValidationOptions? options = null)
    {
        var context = new Context(options ?? SchemaValidationOptions.Strict);
        _root.Validate(instance, new PathBuilder(), context);
        return context.Errors;
    }

    public bool IsValid(JsonElement instance, SchemaValidationOptions? options = null) =>
        Validate(instance, (options ?? SchemaValidationOptions.Strict) with { MaxErrors = 1 }).Count == 0;

    private Node Compile(JsonElement schema, string pointer)
    {
        if (_byPointer.TryGetValue(pointer, out var existing))
        {
            return existing;
        }
        var node = new Node(pointer);
        _byPointer[pointer] = node;
        node.Build(schema, this);
        return node;
    }

    private Node CompileReference(string reference, string from)
    {
        if (!reference.StartsWith('#'))
        {
            throw new NotSupportedException($"Schema {Id}: remote $ref '{reference}' at {from} is not supported; only local references (#/...) are.");
        }
        if (_byPointer.TryGetValue(reference, out var known))
        {
            return known;
        }
        var target = _document.RootElement;
        foreach (var raw in reference.TrimStart('#').Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            var token = Uri.UnescapeDataString(raw).Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
            if (target.ValueKind == JsonValueKind.Object && target.TryGetProperty(token, out var child))
            {
                target = child;
            }
            else if (target.ValueKind == JsonValueKind.Array && int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index < target.GetArrayLength())
            {
                target = target[index];
            }
            else
            {
                throw new InvalidOperationException($"Schema {Id}: $ref '{reference}' at {from} points to nothing.");
            }
        }
        return Compile(target, reference == "#" ? "#" : reference);
    }

    [Flags]
    private enum JsonTypes
    {
        None = 0,
        Object = 1,
        Array = 2,
        String = 4,
        Number = 8,
        Integer = 16,
        Boolean = 32,
        Null = 64,
    }

    private sealed class Context(SchemaValidationOptions options)
    {
        public SchemaValidationOptions Options { get; } = options;

        public List<SchemaError> Errors { get; } = [];

        public bool Full => Errors.Count >= Options.MaxErrors;

        public void Add(PathBuilder path, string keyword, string message)
        {
            if (Full)
            {
                return;
            }
            var p = path.ToString();
            foreach (var e in Errors)
            {
                // allOf chains in SAMM schemas repeat a constraint (type object at the property and in its entity): say it once
                if (e.Path == p && e.Keyword == keyword && e.Message == message)
                {
                    return;
                }
            }
            Errors.Add(new SchemaError(p, keyword, message));
        }
    }

    /// <summary>The JSONPath of the value being checked, built as a stack (no string work unless an error is reported).</summary>
    private sealed class PathBuilder
    {
        private readonly List<(string? Name, int Index)> _segments = [];

        public void Push(string name) => _segments.Add((name, -1));

        public void Push(int index) => _segments.Add((null, index));

        public void Pop() => _segments.RemoveAt(_segments.Count - 1);

        public override string ToString()
        {
            var sb = new StringBuilder("$");
            foreach (var (name, index) in _segments)
            {
                if (name is null)
                {
                    sb.Append('[').Append(index.ToString(CultureInfo.InvariantCulture)).Append(']');
                }
                else
                {
                    sb.Append('.').Append(name);
                }
            }
            return sb.ToString();
        }
    }

    private sealed class Node(string pointer)
    {
        private static readonly HashSet<string> Ignored = new(StringComparer.Ordinal)
        {
            "$schema", "id", "$id", "title", "description", "default", "definitions", "components", "example", "examples",
            "readOnly", "writeOnly", "deprecated", "$comment",
        };

        private JsonTypes _types;
        private List<JsonElement>? _enum;
        private decimal? _minimumDecimal;
        private double? _minimumDouble;
        private bool _exclusiveMinimum;
        private decimal? _maximumDecimal;
        private double? _maximumDouble;
        private bool _exclusiveMaximum;
        private decimal? _multipleOf;
        private int? _minLength;
        private int? _maxLength;
        private Regex? _pattern;
        private string? _patternText;
        private string? _format;
        private Node? _items;
        private List<Node>? _tupleItems;
        private bool _additionalItemsAllowed = true;
        private Node? _additionalItems;
        private int? _minItems;
        private int? _maxItems;
        private bool _uniqueItems;
        private Dictionary<string, Node>? _properties;
        private List<(Regex Pattern, Node Schema)>? _patternProperties;
        private bool _additionalPropertiesAllowed = true;
        private Node? _additionalProperties;
        private string[]? _required;
        private int? _minProperties;
        private int? _maxProperties;
        private Dictionary<string, string[]>? _propertyDependencies;
        private Dictionary<string, Node>? _schemaDependencies;
        private List<Node>? _allOf;
        private List<Node>? _anyOf;
        private List<Node>? _oneOf;
        private Node? _not;
        private string? _refText;
        private Node? _ref;

        public string Pointer { get; } = pointer;

        public void Build(JsonElement schema, JsonSchema owner)
        {
            if (schema.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidOperationException($"Schema {owner.Id}: {Pointer} is not a schema object.");
            }
            foreach (var p in schema.EnumerateObject())
            {
                var v = p.Value;
                var at = $"{Pointer}/{p.Name}";
                switch (p.Name)
                {
                    case "$ref":
                        _refText = v.GetString();
                        break;
                    case "type":
                        _types = v.ValueKind == JsonValueKind.Array
                            ? v.EnumerateArray().Aggregate(JsonTypes.None, (t, e) => t | ParseType(e.GetString(), owner, at))
                            : ParseType(v.GetString(), owner, at);
                        break;
                    case "enum":
                        _enum = [.. v.EnumerateArray()];
                        break;
                    case "minimum":
                        (_minimumDecimal, _minimumDouble) = ReadNumber(v);
                        break;
                    case "maximum":
                        (_maximumDecimal, _maximumDouble) = ReadNumber(v);
                        break;
                    case "exclusiveMinimum":
                        _exclusiveMinimum = v.ValueKind == JsonValueKind.True;
                        break;
                    case "exclusiveMaximum":
                        _exclusiveMaximum = v.ValueKind == JsonValueKind.True;
                        break;
                    case "multipleOf":
                        _multipleOf = v.GetDecimal();
                        break;
                    case "minLength":
                        _minLength = v.GetInt32();
                        break;
                    case "maxLength":
                        _maxLength = v.GetInt32();
                        break;
                    case "pattern":
                        _patternText = v.GetString()!;
                        _pattern = EcmaRegex(_patternText);
                        break;
                    case "format":
                        _format = v.GetString();
                        break;
                    case "items":
                        if (v.ValueKind == JsonValueKind.Array)
                        {
                            _tupleItems = [.. v.EnumerateArray().Select((e, i) => owner.Compile(e, $"{at}/{i}"))];
                        }
                        else
                        {
                            _items = owner.Compile(v, at);
                        }
                        break;
                    case "additionalItems":
                        if (v.ValueKind is JsonValueKind.True or JsonValueKind.False)
                        {
                            _additionalItemsAllowed = v.ValueKind == JsonValueKind.True;
                        }
                        else
                        {
                            _additionalItems = owner.Compile(v, at);
                        }
                        break;
                    case "minItems":
                        _minItems = v.GetInt32();
                        break;
                    case "maxItems":
                        _maxItems = v.GetInt32();
                        break;
                    case "uniqueItems":
                        _uniqueItems = v.ValueKind == JsonValueKind.True;
                        break;
                    case "properties":
                        _properties = new Dictionary<string, Node>(StringComparer.Ordinal);
                        foreach (var prop in v.EnumerateObject())
                        {
                            _properties[prop.Name] = owner.Compile(prop.Value, $"{at}/{Escape(prop.Name)}");
                        }
                        break;
                    case "patternProperties":
                        _patternProperties = [.. v.EnumerateObject().Select(prop => (EcmaRegex(prop.Name), owner.Compile(prop.Value, $"{at}/{Escape(prop.Name)}")))];
                        break;
                    case "additionalProperties":
                        if (v.ValueKind is JsonValueKind.True or JsonValueKind.False)
                        {
                            _additionalPropertiesAllowed = v.ValueKind == JsonValueKind.True;
                        }
                        else
                        {
                            _additionalProperties = owner.Compile(v, at);
                        }
                        break;
                    case "required":
                        _required = [.. v.EnumerateArray().Select(e => e.GetString()!)];
                        break;
                    case "minProperties":
                        _minProperties = v.GetInt32();
                        break;
                    case "maxProperties":
                        _maxProperties = v.GetInt32();
                        break;
                    case "dependencies":
                        foreach (var dep in v.EnumerateObject())
                        {
                            if (dep.Value.ValueKind == JsonValueKind.Array)
                            {
                                (_propertyDependencies ??= new(StringComparer.Ordinal))[dep.Name] = [.. dep.Value.EnumerateArray().Select(e => e.GetString()!)];
                            }
                            else
                            {
                                (_schemaDependencies ??= new(StringComparer.Ordinal))[dep.Name] = owner.Compile(dep.Value, $"{at}/{Escape(dep.Name)}");
                            }
                        }
                        break;
                    case "allOf":
                        _allOf = [.. v.EnumerateArray().Select((e, i) => owner.Compile(e, $"{at}/{i}"))];
                        break;
                    case "anyOf":
                        _anyOf = [.. v.EnumerateArray().Select((e, i) => owner.Compile(e, $"{at}/{i}"))];
                        break;
                    case "oneOf":
                        _oneOf = [.. v.EnumerateArray().Select((e, i) => owner.Compile(e, $"{at}/{i}"))];
                        break;
                    case "not":
                        _not = owner.Compile(v, at);
                        break;
                    default:
                        if (!Ignored.Contains(p.Name) && !p.Name.StartsWith("x-", StringComparison.Ordinal) && IsValidationKeyword(p.Name))
                        {
                            throw new NotSupportedException($"Schema {owner.Id}: keyword '{p.Name}' at {Pointer} is not supported.");
                        }
                        break;
                }
            }
        }

        public void Resolve(JsonSchema owner)
        {
            if (_refText is not null)
            {
                _ref = owner.CompileReference(_refText, Pointer);
            }
        }

        private static bool IsValidationKeyword(string name) =>
            name is "const" or "contains" or "propertyNames" or "if" or "then" or "else" or "$defs" or "dependentRequired"
                or "dependentSchemas" or "unevaluatedProperties" or "unevaluatedItems" or "$anchor" or "$dynamicRef";

        private static string Escape(string name) => name.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);

        private static JsonTypes ParseType(string? name, JsonSchema owner, string at) => name switch
        {
            "object" => JsonTypes.Object,
            "array" => JsonTypes.Array,
            "string" => JsonTypes.String,
            "number" => JsonTypes.Number,
            "integer" => JsonTypes.Integer,
            "boolean" => JsonTypes.Boolean,
            "null" => JsonTypes.Null,
            _ => throw new InvalidOperationException($"Schema {owner.Id}: unknown type '{name}' at {at}."),
        };

        private static (decimal?, double?) ReadNumber(JsonElement v) =>
            v.TryGetDecimal(out var d) ? (d, (double)d) : (null, ParseDouble(v));

        public void Validate(JsonElement value, PathBuilder path, Context context)
        {
            if (context.Full)
            {
                return;
            }
            if (_ref is not null)
            {
                // draft-04: a $ref replaces its schema; siblings are ignored
                _ref.Validate(value, path, context);
                return;
            }
            var kind = value.ValueKind;
            if (_types != JsonTypes.None && !HasType(value))
            {
                context.Add(path, "type", $"{Describe(value)} is not of type {TypeNames(_types)}");
                return;
            }
            if (_enum is not null && !_enum.Any(e => JsonEquals(e, value)))
            {
                context.Add(path, "enum", $"{Describe(value)} is not one of {string.Join(", ", _enum.Select(e => e.GetRawText()).Distinct())}");
            }
            switch (kind)
            {
                case JsonValueKind.Number:
                    ValidateNumber(value, path, context);
                    break;
                case JsonValueKind.String:
                    ValidateString(value, path, context);
                    break;
                case JsonValueKind.Array:
                    ValidateArray(value, path, context);
                    break;
                case JsonValueKind.Object:
                    ValidateObject(value, path, context);
                    break;
                default:
                    break;
            }
            if (_allOf is not null)
            {
                foreach (var s in _allOf)
                {
                    s.Validate(value, path, context);
                }
            }
            if (_anyOf is not null && !_anyOf.Any(s => s.Matches(value, context.Options)))
            {
                context.Add(path, "anyOf", $"{Describe(value)} does not match any of the {_anyOf.Count} allowed schemas");
            }
            if (_oneOf is not null)
            {
                var matches = _oneOf.Count(s => s.Matches(value, context.Options));
                if (matches != 1)
                {
                    context.Add(path, "oneOf", matches == 0
                        ? $"{Describe(value)} does not match any of the {_oneOf.Count} schemas"
                        : $"{Describe(value)} matches {matches} schemas where exactly one is allowed");
                }
            }
            if (_not is not null && _not.Matches(value, context.Options))
            {
                context.Add(path, "not", $"{Describe(value)} matches a schema it must not match");
            }
        }

        private bool Matches(JsonElement value, SchemaValidationOptions options)
        {
            var probe = new Context(options with { MaxErrors = 1 });
            Validate(value, new PathBuilder(), probe);
            return probe.Errors.Count == 0;
        }

        private bool HasType(JsonElement value) => value.ValueKind switch
        {
            JsonValueKind.Object => (_types & JsonTypes.Object) != 0,
            JsonValueKind.Array => (_types & JsonTypes.Array) != 0,
            JsonValueKind.String => (_types & JsonTypes.String) != 0,
            JsonValueKind.Number => (_types & JsonTypes.Number) != 0 || ((_types & JsonTypes.Integer) != 0 && IsInteger(value)),
            JsonValueKind.True or JsonValueKind.False => (_types & JsonTypes.Boolean) != 0,
            JsonValueKind.Null => (_types & JsonTypes.Null) != 0,
            _ => false,
        };

        private void ValidateNumber(JsonElement value, PathBuilder path, Context context)
        {
            if (_minimumDecimal is null && _minimumDouble is null && _maximumDecimal is null && _maximumDouble is null && _multipleOf is null)
            {
                return;
            }
            var exact = value.TryGetDecimal(out var d);
            var approx = exact ? (double)d : ParseDouble(value);
            if (_minimumDecimal is not null || _minimumDouble is not null)
            {
                var cmp = exact && _minimumDecimal is { } md ? d.CompareTo(md) : approx.CompareTo(_minimumDouble!.Value);
                if (cmp < 0 || (cmp == 0 && _exclusiveMinimum))
                {
                    context.Add(path, "minimum", $"{value.GetRawText()} is {(_exclusiveMinimum ? "less than or equal to" : "less than")} the minimum of {Bound(_minimumDecimal, _minimumDouble)}");
                }
            }
            if (_maximumDecimal is not null || _maximumDouble is not null)
            {
                var cmp = exact && _maximumDecimal is { } md ? d.CompareTo(md) : approx.CompareTo(_maximumDouble!.Value);
                if (cmp > 0 || (cmp == 0 && _exclusiveMaximum))
                {
                    context.Add(path, "maximum", $"{value.GetRawText()} is {(_exclusiveMaximum ? "greater than or equal to" : "greater than")} the maximum of {Bound(_maximumDecimal, _maximumDouble)}");
                }
            }
            if (_multipleOf is { } m && m != 0)
            {
                if (!exact || d % m != 0)
                {
                    context.Add(path, "multipleOf", $"{value.GetRawText()} is not a multiple of {m.ToString(CultureInfo.InvariantCulture)}");
                }
            }
        }

        private static string Bound(decimal? d, double? f) =>
            d is { } x ? x.ToString("G29", CultureInfo.InvariantCulture) : f!.Value.ToString("R", CultureInfo.InvariantCulture);

        private void ValidateString(JsonElement value, PathBuilder path, Context context)
        {
            if (_minLength is null && _maxLength is null && _pattern is null && (_format is null || !context.Options.CheckFormats))
            {
                return;
            }
            var s = value.GetString()!;
            if (_minLength is not null || _maxLength is not null)
            {
                var length = CodePoints(s);
                if (_minLength is { } min && length < min)
                {
                    context.Add(path, "minLength", $"{Describe(value)} is shorter than {min} characters");
                }
                if (_maxLength is { } max && length > max)
                {
                    context.Add(path, "maxLength", $"{Describe(value)} is longer than {max} characters");
                }
            }
            if (_pattern is not null && !MatchesPattern(_pattern, s))
            {
                context.Add(path, "pattern", $"{Describe(value)} does not match the pattern {_patternText}");
            }
            if (_format is not null && context.Options.CheckFormats && !Formats.Check(_format, s))
            {
                context.Add(path, "format", $"{Describe(value)} is not a valid {_format}");
            }
        }

        private void ValidateArray(JsonElement value, PathBuilder path, Context context)
        {
            var count = value.GetArrayLength();
            if (_minItems is { } min && count < min)
            {
                context.Add(path, "minItems", $"the array has {count} items, fewer than {min}");
            }
            if (_maxItems is { } max && count > max)
            {
                context.Add(path, "maxItems", $"the array has {count} items, more than {max}");
            }
            var i = 0;
            foreach (var item in value.EnumerateArray())
            {
                Node? schema = _items;
                var allowed = true;
                if (_tupleItems is not null)
                {
                    schema = i < _tupleItems.Count ? _tupleItems[i] : _additionalItems;
                    allowed = i < _tupleItems.Count || _additionalItemsAllowed || _additionalItems is not null;
                }
                path.Push(i);
                if (!allowed)
                {
                    context.Add(path, "additionalItems", "no item is allowed at this position");
                }
                schema?.Validate(item, path, context);
                path.Pop();
                i++;
            }
            if (_uniqueItems && count > 1)
            {
                var items = value.EnumerateArray().ToList();
                for (var a = 0; a < items.Count; a++)
                {
                    for (var b = a + 1; b < items.Count; b++)
                    {
                        if (JsonEquals(items[a], items[b]))
                        {
                            context.Add(path, "uniqueItems", $"items {a} and {b} are equal; items must be unique");
                            return;
                        }
                    }
                }
            }
        }

        private void ValidateObject(JsonElement value, PathBuilder path, Context context)
        {
            if (_required is not null && !context.Options.IgnoreRequired)
            {
                foreach (var name in _required)
                {
                    if (!value.TryGetProperty(name, out _))
                    {
                        context.Add(path, "required", $"'{name}' is required");
                    }
                }
            }
            if (_minProperties is not null || _maxProperties is not null)
            {
                var n = value.EnumerateObject().Count();
                if (_minProperties is { } min && n < min)
                {
                    context.Add(path, "minProperties", $"the object has {n} properties, fewer than {min}");
                }
                if (_maxProperties is { } max && n > max)
                {
                    context.Add(path, "maxProperties", $"the object has {n} properties, more than {max}");
                }
            }
            foreach (var p in value.EnumerateObject())
            {
                var matched = false;
                path.Push(p.Name);
                if (_properties is not null && _properties.TryGetValue(p.Name, out var schema))
                {
                    matched = true;
                    schema.Validate(p.Value, path, context);
                }
                if (_patternProperties is not null)
                {
                    foreach (var (pattern, s) in _patternProperties)
                    {
                        if (MatchesPattern(pattern, p.Name))
                        {
                            matched = true;
                            s.Validate(p.Value, path, context);
                        }
                    }
                }
                if (!matched)
                {
                    if (_additionalProperties is not null)
                    {
                        _additionalProperties.Validate(p.Value, path, context);
                    }
                    else if (!_additionalPropertiesAllowed)
                    {
                        context.Add(path, "additionalProperties", $"'{p.Name}' is not an allowed property");
                    }
                }
                path.Pop();
            }
            if (_propertyDependencies is not null)
            {
                foreach (var (name, needs) in _propertyDependencies)
                {
                    if (value.TryGetProperty(name, out _))
                    {
                        foreach (var need in needs.Where(n => !value.TryGetProperty(n, out _)))
                        {
                            context.Add(path, "dependencies", $"'{need}' is required when '{name}' is present");
                        }
                    }
                }
            }
            if (_schemaDependencies is not null)
            {
                foreach (var (name, s) in _schemaDependencies)
                {
                    if (value.TryGetProperty(name, out _))
                    {
                        s.Validate(value, path, context);
                    }
                }
            }
        }
    }

    private static bool MatchesPattern(Regex regex, string s)
    {
        try
        {
            return regex.IsMatch(s);
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }

    /// <summary>A JSON Schema pattern as a .NET regex with ECMA-262 semantics (ASCII <c>\d</c>, <c>\w</c>, <c>\s</c>), not anchored.</summary>
    internal static Regex EcmaRegex(string pattern)
    {
        try
        {
            return new Regex(pattern, RegexOptions.ECMAScript | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        }
        catch (ArgumentException)
        {
            // constructs the ECMAScript option refuses (lookbehind, Unicode classes): the .NET dialect is a superset
            return new Regex(pattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        }
    }

    private static int CodePoints(string s)
    {
        var n = 0;
        for (var i = 0; i < s.Length; i++)
        {
            if (!char.IsHighSurrogate(s[i]) || i + 1 >= s.Length || !char.IsLowSurrogate(s[i + 1]))
            {
                n++;
            }
        }
        return n;
    }

    private static bool IsInteger(JsonElement value)
    {
        if (value.TryGetDecimal(out var d))
        {
            return decimal.Truncate(d) == d;
        }
        var raw = value.GetRawText();
        if (raw.AsSpan().IndexOfAny('.', 'e', 'E') < 0)
        {
            return BigInteger.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _);
        }
        var x = ParseDouble(value);
        return double.IsFinite(x) && Math.Floor(x) == x;
    }

    private static double ParseDouble(JsonElement value) =>
        double.Parse(value.GetRawText(), NumberStyles.Float, CultureInfo.InvariantCulture);

    /// <summary>JSON equality as JSON Schema defines it: numbers by value, objects regardless of member order.</summary>
    internal static bool JsonEquals(JsonElement a, JsonElement b)
    {
        if (a.ValueKind != b.ValueKind)
        {
            return false;
        }
        switch (a.ValueKind)
        {
            case JsonValueKind.String:
                return a.ValueEquals(b.GetString());
            case JsonValueKind.Number:
                if (a.TryGetDecimal(out var x) && b.TryGetDecimal(out var y))
                {
                    return x == y;
                }
                return ParseDouble(a) == ParseDouble(b);
            case JsonValueKind.Array:
                if (a.GetArrayLength() != b.GetArrayLength())
                {
                    return false;
                }
                using (var ea = a.EnumerateArray().GetEnumerator())
                using (var eb = b.EnumerateArray().GetEnumerator())
                {
                    while (ea.MoveNext() && eb.MoveNext())
                    {
                        if (!JsonEquals(ea.Current, eb.Current))
                        {
                            return false;
                        }
                    }
                }
                return true;
            case JsonValueKind.Object:
                var count = 0;
                foreach (var p in a.EnumerateObject())
                {
                    count++;
                    if (!b.TryGetProperty(p.Name, out var other) || !JsonEquals(p.Value, other))
                    {
                        return false;
                    }
                }
                return count == b.EnumerateObject().Count();
            default:
                return true; // true, false, null: same kind is same value
        }
    }

    private static string TypeNames(JsonTypes types)
    {
        var names = new List<string>();
        foreach (var t in Enum.GetValues<JsonTypes>())
        {
            if (t != JsonTypes.None && (types & t) != 0)
            {
                names.Add(t.ToString().ToLowerInvariant());
            }
        }
        return string.Join(" or ", names.Select(n => $"'{n}'"));
    }

    /// <summary>A short rendering of a value for messages: strings quoted (trailing spaces visible), long values cut.</summary>
    private static string Describe(JsonElement value)
    {
        var raw = value.ValueKind switch
        {
            JsonValueKind.Object => "an object",
            JsonValueKind.Array => "an array",
            JsonValueKind.String => $"'{value.GetString()}'",
            _ => value.GetRawText(),
        };
        return raw.Length > 80 ? raw[..77] + "…" : raw;
    }
}
