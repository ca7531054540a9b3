using System.Net;
using System.Net.Sockets;

namespace FuncSecrets.Core.Auth.Policy;

/// <summary>IAM's pattern matching: <c>*</c> is any run of characters, <c>?</c> any one.</summary>
internal static class Wildcard
{
    /// <summary>
    /// Glob match in linear time (greedy star with one backtrack point), so a hostile pattern
    /// like <c>*a*a*a*b</c> cannot make authorization slow.
    /// </summary>
    public static bool IsMatch(string pattern, string value, bool ignoreCase)
    {
        int p = 0, v = 0, starAt = -1, resumeAt = 0;
        while (v < value.Length)
        {
            if (p < pattern.Length && (pattern[p] == '?' || SameChar(pattern[p], value[v], ignoreCase)))
            {
                p++;
                v++;
            }
            else if (p < pattern.Length && pattern[p] == '*')
            {
                starAt = p++;
                resumeAt = v;
            }
            else if (starAt >= 0)
            {
                p = starAt + 1;
                v = ++resumeAt;
            }
            else
            {
                return false;
            }
        }

        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }

        return p == pattern.Length;
    }

    /// <summary>
    /// ARN matching as IAM does it: the first five colon-separated parts (arn, partition, service,
    /// region, account) each match on their own, and the resource part (which may itself contain
    /// colons and slashes) matches as a whole. Case-sensitive. A pattern with fewer parts is
    /// matched against the whole ARN.
    /// </summary>
    public static bool ArnMatch(string pattern, string arn)
    {
        if (pattern == "*")
        {
            return true;
        }

        var patternParts = pattern.Split(':', 6);
        var arnParts = arn.Split(':', 6);
        if (patternParts.Length != 6 || arnParts.Length != 6)
        {
            return IsMatch(pattern, arn, ignoreCase: false);
        }

        for (var i = 0; i < 6; i++)
        {
            if (!IsMatch(patternParts[i], arnParts[i], ignoreCase: false))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>True when <paramref name="address"/> lies in <paramref name="cidr"/> (a CIDR block or one address).</summary>
    public static bool InCidr(string cidr, IPAddress address)
    {
        var slash = cidr.IndexOf('/', StringComparison.Ordinal);
        if (!IPAddress.TryParse(slash < 0 ? cidr : cidr[..slash], out var network))
        {
            return false;
        }

        if (network.AddressFamily != address.AddressFamily)
        {
            if (address.IsIPv4MappedToIPv6 && network.AddressFamily == AddressFamily.InterNetwork)
            {
                address = address.MapToIPv4();
            }
            else
            {
                return false;
            }
        }

        var networkBytes = network.GetAddressBytes();
        var addressBytes = address.GetAddressBytes();
        var bits = networkBytes.Length * 8;
        if (slash >= 0 && (!int.TryParse(cidr[(slash + 1)..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out bits) || bits > networkBytes.Length * 8))
        {
            return false;
        }

        for (var i = 0; i < networkBytes.Length && bits > 0; i++, bits -= 8)
        {
            var mask = bits >= 8 ? 0xFF : (byte)(0xFF << (8 - bits));
            if ((networkBytes[i] & mask) != (addressBytes[i] & mask))
            {
                return false;
            }
        }

        return true;
    }

    private static bool SameChar(char a, char b, bool ignoreCase) =>
        a == b || (ignoreCase && char.ToUpperInvariant(a) == char.ToUpperInvariant(b));
}
