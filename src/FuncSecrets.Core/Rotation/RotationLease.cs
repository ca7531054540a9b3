using System.Globalization;

namespace FuncSecrets.Core.Rotation;

/// <summary>
/// Which instance runs a secret's rotation, and until when: kept in the secret's
/// <c>RotationToken</c> as <c>{expiresUnixMs} {owner} {token}</c> (the token last: it may hold spaces) and changed only through the
/// ETag-conditional metadata write, so taking it is a compare-and-set. Two instances therefore
/// never run one secret's rotation at once; a lease whose holder died expires and may be taken.
/// </summary>
public readonly record struct RotationLease(string Token, DateTimeOffset ExpiresAt, string Owner)
{
    /// <summary>Reads a stored lease; a token stored without lease fields reads as an expired lease.</summary>
    public static RotationLease? Read(string? stored)
    {
        if (string.IsNullOrEmpty(stored))
        {
            return null;
        }

        var parts = stored.Split(' ', 3);
        if (parts.Length == 3 && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ms))
        {
            return new RotationLease(parts[2], DateTimeOffset.FromUnixTimeMilliseconds(ms), parts[1]);
        }

        return new RotationLease(stored, DateTimeOffset.MinValue, string.Empty);
    }

    /// <summary>A fresh owner id: one per rotation run.</summary>
    public static string NewOwner() => Guid.NewGuid().ToString("N");

    public bool IsActive(DateTimeOffset now) => ExpiresAt > now;

    /// <summary>The value stored in <c>RotationToken</c>.</summary>
    public string Format() =>
        string.Create(CultureInfo.InvariantCulture, $"{ExpiresAt.ToUnixTimeMilliseconds()} {Owner} {Token}");
}
