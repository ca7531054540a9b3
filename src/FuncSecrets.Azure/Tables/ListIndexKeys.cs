using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using FuncSecrets.Core.Model;
using FuncSecrets.Core.Storage;

namespace FuncSecrets.Azure.Tables;

/// <summary>
/// Keys of the listing index table (docs/listing.md). One partition per state (<c>live</c>,
/// <c>deleted</c>), so a secret's 8 rows change in one transaction; in it, one section of row
/// keys per sort key and direction (<c>created.a:</c>, <c>name.d:</c>, ...) followed by the
/// secret's position encoded so that ordinal row-key order is the listing order, so a page is one
/// ranged query (<c>RowKey gt</c> the position, <c>lt</c> the section's end) and Table Storage
/// scans only ascending.
/// </summary>
/// <remarks>
/// <para>Names cannot go into row keys as they are (<c>/</c> is forbidden) and
/// <see cref="TableKeyEscaper"/> does not keep their order (<c>/</c> becomes <c>|</c>). So each
/// of the 70 name characters maps to the character of the same rank in <see cref="Targets"/>
/// (printable ASCII without <c>/ \ # ? $ % '</c> and <c>~</c>): order-preserving and reversible.</para>
/// <para>Descending rows invert: dates as <c>MaxTicks - ticks</c>, names by reversed rank plus
/// a <c>~</c> terminator (above every target), so a name sorts before its own prefixes.</para>
/// <para>Row keys stay within 512 characters (1 KiB of UTF-16): a row whose name would overflow
/// (names over about 480 characters) keeps the first part of the name and a hash of the whole,
/// which orders such extremely long names by that part only, consistently for writers and
/// readers.</para>
/// </remarks>
internal static class ListIndexKeys
{
    public const string Live = "live";
    public const string Deleted = "deleted";

    /// <summary>Above every target character: the descending terminator and range end.</summary>
    public const char High = '~';

    /// <summary>Escapes a character outside the name alphabet: above every target, below <see cref="High"/>.</summary>
    private const char Other = '}';

    public const int MaxRowKey = 512;
    private const int HashChars = 8;

    private const string Alphabet = "!+-./0123456789=@ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz";
    private static readonly string Targets = BuildTargets();
    private static readonly int[] Rank = BuildRanks();

    public static readonly SecretSortKey[] SortKeys = Enum.GetValues<SecretSortKey>();

    public static string Partition(bool deleted) => deleted ? Deleted : Live;

    /// <summary>Where an order's row keys start: <c>created.a:</c>.</summary>
    public static string Section(SecretSortKey sortBy, bool descending) => Order(sortBy) + (descending ? ".d:" : ".a:");

    /// <summary>Just after an order's row keys (<c>;</c> follows <c>:</c>).</summary>
    public static string SectionEnd(SecretSortKey sortBy, bool descending) => Order(sortBy) + (descending ? ".d;" : ".a;");

    /// <summary>The row key of a position in one order and direction.</summary>
    public static string RowKey(SecretSortKey sortBy, bool descending, SecretListPosition position)
    {
        var section = Section(sortBy, descending);
        string key;
        if (sortBy == SecretSortKey.Name)
        {
            key = section;
        }
        else
        {
            var ticks = long.Parse(position.Key, NumberStyles.None, CultureInfo.InvariantCulture);
            key = section + (descending ? long.MaxValue - ticks : ticks).ToString("D19", CultureInfo.InvariantCulture);
        }

        var encoded = descending ? Descending(position.Name) + High : Ascending(position.Name);
        if (key.Length + encoded.Length <= MaxRowKey)
        {
            return key + encoded;
        }

        var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(position.Name)), 0, HashChars / 2);
        return key + encoded[..(MaxRowKey - key.Length - HashChars)] + hash;
    }

    /// <summary>The row key range of names starting with <paramref name="prefix"/>, in the name order.</summary>
    public static (string From, string To) PrefixRange(string prefix, bool descending)
    {
        var start = Section(SecretSortKey.Name, descending) + (descending ? Descending(prefix) : Ascending(prefix));
        return (start, start + High);
    }

    public static string Ascending(string name) => Encode(name, descending: false);

    public static string Descending(string name) => Encode(name, descending: true);

    private static string Encode(string name, bool descending)
    {
        var builder = new StringBuilder(name.Length);
        foreach (var c in name)
        {
            var rank = c < Rank.Length ? Rank[c] : -1;
            if (rank < 0)
            {
                // Not a secret-name character (the API never stores one): kept unique, but ordered
                // only among themselves, above every name character.
                builder.Append(Other).Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
                continue;
            }

            builder.Append(Targets[descending ? Alphabet.Length - 1 - rank : rank]);
        }

        return builder.ToString();
    }

    private static string Order(SecretSortKey sortBy) => sortBy switch
    {
        SecretSortKey.Name => "name",
        SecretSortKey.LastAccessedDate => "accessed",
        SecretSortKey.LastChangedDate => "changed",
        _ => "created",
    };

    private static string BuildTargets()
    {
        var targets = new StringBuilder();
        for (var c = '!'; c < Other && targets.Length < Alphabet.Length; c++)
        {
            if (c is not ('/' or '\\' or '#' or '?' or '$' or '%' or '\''))
            {
                targets.Append(c);
            }
        }

        return targets.ToString();
    }

    private static int[] BuildRanks()
    {
        var ranks = Enumerable.Repeat(-1, 128).ToArray();
        for (var i = 0; i < Alphabet.Length; i++)
        {
            ranks[Alphabet[i]] = i;
        }

        // The alphabet is exactly the secret-name characters, in ordinal order.
        if (Alphabet.Length != 70 || Targets.Length != Alphabet.Length || !Alphabet.All(SecretName.IsValidCharacter) || Alphabet.Zip(Alphabet.Skip(1)).Any(p => p.First >= p.Second))
        {
            throw new InvalidOperationException("The index alphabet must list the name characters in order.");
        }

        return ranks;
    }
}
