using System.Collections;
using System.Reflection;
using FuncSecrets.Azure.Tables;
using FuncSecrets.Core;
using FuncSecrets.Server;

namespace FuncSecrets.IntegrationTests.Functions;

/// <summary>
/// Which app-setting names (<c>FuncSecrets__Storage__TableName</c>) the app actually reads: every
/// options class with a <c>SectionName</c> under <c>FuncSecrets</c>, found by reflection and walked
/// the way the configuration binder walks it (properties by name, list indexes, dictionary keys).
/// </summary>
internal static class SettingNames
{
    private static readonly Assembly[] Assemblies =
        [typeof(ServiceOptions).Assembly, typeof(TableStoreOptions).Assembly, typeof(Host.Rotation.RotationFunctionOptions).Assembly, typeof(JobsOptions).Assembly];

    /// <summary>Every bound section: its path segments and options type.</summary>
    public static IReadOnlyList<(string[] Path, Type Type)> Sections { get; } = FindSections();

    /// <summary>Null when the app reads the setting; otherwise why it does not.</summary>
    public static string? Explain(string appSettingName)
    {
        var segments = appSettingName.Split("__");
        var matching = Sections
            .Where(s => s.Path.Length <= segments.Length && s.Path.SequenceEqual(segments.Take(s.Path.Length), StringComparer.OrdinalIgnoreCase))
            .ToList();
        if (matching.Count == 0)
        {
            return "no options class binds this section";
        }

        // Several options classes may bind one section (FuncSecrets:Rotation): read if any reads it.
        var longest = matching.Max(s => s.Path.Length);
        var reasons = matching.Where(s => s.Path.Length == longest).Select(s => Explain(segments, s)).ToList();
        return reasons.Contains(null) ? null : reasons[0];
    }

    private static string? Explain(string[] segments, (string[] Path, Type Type) section)
    {
        var type = section.Type;
        for (var i = section.Path.Length; i < segments.Length; i++)
        {
            var segment = segments[i];
            if (IsLeaf(type))
            {
                return $"'{segment}' follows the value {string.Join("__", segments.Take(i))}";
            }

            if (DictionaryValueType(type) is { } valueType)
            {
                type = valueType;
                continue;
            }

            if (ListItemType(type) is { } itemType)
            {
                if (!int.TryParse(segment, out _))
                {
                    return $"'{segment}' is not a list index";
                }

                type = itemType;
                continue;
            }

            var property = type.GetProperty(segment, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
            if (property is null)
            {
                return $"{type.Name} has no property '{segment}'";
            }

            type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
        }

        return IsLeaf(type) ? null : $"{type.Name} is a section, not a value";
    }

    private static List<(string[] Path, Type Type)> FindSections()
    {
        var sections = new List<(string[], Type)>();
        foreach (var type in Assemblies.SelectMany(a => a.GetTypes()))
        {
            if (type.GetField("SectionName", BindingFlags.Public | BindingFlags.Static) is { IsLiteral: true } field
                && field.GetRawConstantValue() is string name
                && name.Split(':')[0] == "FuncSecrets")
            {
                sections.Add((name.Split(':'), type));
            }
        }

        return sections;
    }

    private static bool IsLeaf(Type type) =>
        type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type == typeof(Uri)
        || type == typeof(TimeSpan) || type == typeof(DateTimeOffset) || type == typeof(Guid);

    private static Type? DictionaryValueType(Type type) =>
        type.GetInterfaces().Append(type)
            .FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IDictionary<,>) && i.GetGenericArguments()[0] == typeof(string))
            ?.GetGenericArguments()[1];

    private static Type? ListItemType(Type type) =>
        type.IsArray ? type.GetElementType()
        : typeof(IEnumerable).IsAssignableFrom(type) && type != typeof(string)
            ? type.GetInterfaces().Append(type).FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IList<>))?.GetGenericArguments()[0]
            : null;
}
