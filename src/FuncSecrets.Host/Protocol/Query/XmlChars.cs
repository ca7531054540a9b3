using System.Text;

namespace FuncSecrets.Host.Protocol.Query;

/// <summary>
/// XML 1.0 can carry only some characters (§2.2 Char): tab, LF, CR, U+0020–U+D7FF,
/// U+E000–U+FFFD and supplementary characters as valid surrogate pairs. Not even a character
/// reference (<c>&amp;#0;</c>) can carry the rest, so a value holding one cannot be written.
/// </summary>
public static class XmlChars
{
    /// <summary>True when every character of <paramref name="text"/> may appear in an XML 1.0 document.</summary>
    public static bool IsRepresentable(ReadOnlySpan<char> text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var length = CharLength(text, i);
            if (length == 0)
            {
                return false;
            }

            i += length - 1;
        }

        return true;
    }

    /// <summary>
    /// <paramref name="text"/> with every character XML cannot carry replaced by U+FFFD, for text
    /// that must be sent whatever it holds (error messages that name a caller's input).
    /// </summary>
    public static string Sanitize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (IsRepresentable(text))
        {
            return text;
        }

        var builder = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var length = CharLength(text, i);
            if (length == 0)
            {
                builder.Append('\uFFFD');
                continue;
            }

            builder.Append(text, i, length);
            i += length - 1;
        }

        return builder.ToString();
    }

    /// <summary>1 for a character XML allows, 2 for a valid surrogate pair, 0 for anything else.</summary>
    private static int CharLength(ReadOnlySpan<char> text, int index)
    {
        var c = text[index];
        if (c is '\t' or '\n' or '\r' or (>= '\u0020' and <= '\uD7FF') or (>= '\uE000' and <= '\uFFFD'))
        {
            return 1;
        }

        return char.IsHighSurrogate(c) && index + 1 < text.Length && char.IsLowSurrogate(text[index + 1]) ? 2 : 0;
    }
}
