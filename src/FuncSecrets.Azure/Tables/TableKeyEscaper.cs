using System.Globalization;
using System.Text;

namespace FuncSecrets.Azure.Tables;

/// <summary>
/// A reversible, total mapping from any string to a Table Storage key value. Table keys may not
/// contain <c>/ \ # ?</c> or control characters (U+0000-U+001F, U+007F-U+009F); lossy schemes
/// that map <c>/</c> to <c>_</c> make <c>a/b</c> and <c>a_b</c> share a partition.
/// </summary>
/// <remarks>
/// <para>The secret-name alphabet (<c>A-Za-z0-9/_+=.@!-</c>) maps one character to one, so a
/// 512-character name stays within the 1 KiB key limit: <c>/</c> becomes <c>|</c> and every other
/// name character is kept. Any other UTF-16 code unit (including <c>|</c>, the escape character
/// <c>$</c>, <c>%</c>, <c>'</c>, non-ASCII and lone surrogates) becomes <c>$</c> followed by its
/// four uppercase hex digits, so the result is always printable ASCII.</para>
/// <para>Why not <c>%XX</c>: keys containing <c>%</c> break URL-addressed operations (update,
/// merge, delete) on the Table service and on Azurite (Azure/Azurite#1377); <c>'</c> would need
/// OData quoting, so both are escaped too.</para>
/// </remarks>
internal static class TableKeyEscaper
{
    private const char EscapeChar = '$';
    private const char SlashStandIn = '|';
    private const int HexDigits = 4;

    public static string Escape(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var builder = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            if (IsKept(c))
            {
                builder.Append(c);
            }
            else if (c == '/')
            {
                builder.Append(SlashStandIn);
            }
            else
            {
                builder.Append(EscapeChar).Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }

    /// <summary>Inverts <see cref="Escape"/>; throws <see cref="FormatException"/> on a value it did not produce.</summary>
    public static string Unescape(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var builder = new StringBuilder(key.Length);
        for (var i = 0; i < key.Length; i++)
        {
            var c = key[i];
            if (IsKept(c))
            {
                builder.Append(c);
            }
            else if (c == SlashStandIn)
            {
                builder.Append('/');
            }
            else if (c == EscapeChar && TryReadHex(key, i + 1, out var unit))
            {
                builder.Append(unit);
                i += HexDigits;
            }
            else
            {
                throw new FormatException("The value is not an escaped table key.");
            }
        }

        return builder.ToString();
    }

    private static bool IsKept(char c) =>
        char.IsAsciiLetterOrDigit(c) || c is '_' or '+' or '=' or '.' or '@' or '!' or '-';

    private static bool TryReadHex(string key, int start, out char unit)
    {
        unit = default;
        if (start + HexDigits > key.Length)
        {
            return false;
        }

        var value = 0;
        for (var i = start; i < start + HexDigits; i++)
        {
            // Uppercase only, so that every string has exactly one escaped form.
            var digit = key[i] switch
            {
                >= '0' and <= '9' => key[i] - '0',
                >= 'A' and <= 'F' => key[i] - 'A' + 10,
                _ => -1,
            };
            if (digit < 0)
            {
                return false;
            }

            value = (value << 4) | digit;
        }

        unit = (char)value;
        return true;
    }
}
