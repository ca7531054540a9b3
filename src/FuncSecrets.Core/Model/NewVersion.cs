namespace FuncSecrets.Core.Model;

/// <summary>
/// A value a write brings for version <see cref="VersionId"/> (the ClientRequestToken), with what
/// storage said about that id. <see cref="Sealed"/> is null when the id already holds a value
/// (<see cref="TokenMatch.SameValue"/> or <see cref="TokenMatch.OtherValue"/>): nothing new is stored then.
/// </summary>
public sealed record NewVersion(string VersionId, TokenMatch Match, StoredVersion? Sealed);

/// <summary>What a ClientRequestToken names in a secret, compared with the value a write brings.</summary>
public enum TokenMatch
{
    /// <summary>No version has this id: a new version.</summary>
    Absent,

    /// <summary>RotateSecret announced this version (AWSPENDING, no value yet): the value fills it.</summary>
    Unfilled,

    /// <summary>The version holds the same value: the call is a retry and changes nothing.</summary>
    SameValue,

    /// <summary>The version holds another value: AWS refuses the token as in use.</summary>
    OtherValue,
}
