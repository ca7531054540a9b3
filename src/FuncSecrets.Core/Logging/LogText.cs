using System.Globalization;
using System.Text;

namespace FuncSecrets.Core.Logging;

/// <summary>
/// A request-derived string on its way into a log line. Its text escapes every control
/// character (C0, DEL, C1), the Unicode line and paragraph separators and the backslash as
/// <c>\uXXXX</c> / <c>\\</c>, so a SecretId, token, key id or function URL holding a line break
/// cannot start a forged log line (issue 11). Log methods take this type instead of
/// <see cref="string"/>; the implicit conversion keeps their call sites unchanged, and the
/// structured value (what JSON formatters and Application Insights record) escapes the same way.
/// </summary>
public readonly struct LogText : IEquatable<LogText>
{
    private readonly string? _raw;

    public LogText(string? raw) => _raw = raw;

    public static implicit operator LogText(string? raw) => new(raw);

    public static LogText FromString(string? raw) => new(raw);

    public static bool operator ==(LogText left, LogText right) => left.Equals(right);

    public static bool operator !=(LogText left, LogText right) => !left.Equals(right);

    /// <summary>The escaped text ("" for null).</summary>
    public override string ToString() => Escape(_raw);

    public bool Equals(LogText other) => string.Equals(_raw, other._raw, StringComparison.Ordinal);

    public override bool Equals(object? obj) => obj is LogText other && Equals(other);

    public override int GetHashCode() => _raw is null ? 0 : StringComparer.Ordinal.GetHashCode(_raw);

    /// <summary><paramref name="raw"/> with every character that could break a log line escaped.</summary>
    public static string Escape(string? raw)
    {
        if (string.IsNullOrEmpty(raw))
        {
            return string.Empty;
        }

        var first = raw.AsSpan().IndexOfAny(Special);
        if (first < 0)
        {
            return raw;
        }

        var builder = new StringBuilder(raw.Length + 16);
        builder.Append(raw, 0, first);
        for (var i = first; i < raw.Length; i++)
        {
            var c = raw[i];
            if (c == '\\')
            {
                builder.Append(@"\\");
            }
            else if (NeedsEscape(c))
            {
                builder.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    private static bool NeedsEscape(char c) => char.IsControl(c) || c is '\u2028' or '\u2029';

    private static readonly System.Buffers.SearchValues<char> Special = System.Buffers.SearchValues.Create(BuildSpecial());

    private static string BuildSpecial()
    {
        var chars = new StringBuilder("\\\u2028\u2029");
        for (var c = '\0'; c <= '\u009F'; c++)
        {
            if (char.IsControl(c))
            {
                chars.Append(c);
            }
        }

        return chars.ToString();
    }
}
