namespace FuncSecrets.Core.Rotation;

/// <summary>
/// How rotations run, bound from <c>FuncSecrets:Rotation</c> (the host binds the function map and
/// call limits from the same section into its own options).
/// </summary>
public sealed class RotationOptions
{
    public const string SectionName = "FuncSecrets:Rotation";

    /// <summary>
    /// The <c>RotationLambdaARN</c> that selects the built-in password rotator instead of a
    /// function: rotation generates a new value with GetRandomPassword's rules.
    /// </summary>
    public const string BuiltInPasswordFunction = "funcsecrets:builtin:password";

    /// <summary>
    /// How long one instance owns a running rotation before another may take it over. Renewed
    /// before every step, so it must outlast one step with its retries (the host's step timeout
    /// times its attempts). Default 10 minutes.
    /// </summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>After a failed rotation, when the rotation job tries it again (same token). Default 1 hour.</summary>
    public TimeSpan RetryFailedRotationAfter { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Rotations RotateSecret runs in the background at once, and rotations one job pass runs at once. Default 4.</summary>
    public int MaxConcurrentRotations { get; set; } = 4;

    /// <summary>The rules of the passwords the built-in rotator generates.</summary>
    public BuiltInPasswordOptions Password { get; set; } = new();
}

/// <summary>GetRandomPassword's options, for the built-in rotator (<c>FuncSecrets:Rotation:Password</c>).</summary>
public sealed class BuiltInPasswordOptions
{
    public int Length { get; set; } = PasswordGenerator.DefaultLength;

    /// <summary>Characters never used. Default: the ones AWS's rotation templates exclude, <c>/@"'\</c>.</summary>
    public string ExcludeCharacters { get; set; } = "/@\"'\\";

    public bool ExcludeNumbers { get; set; }

    public bool ExcludePunctuation { get; set; }

    public bool ExcludeUppercase { get; set; }

    public bool ExcludeLowercase { get; set; }

    public bool IncludeSpace { get; set; }

    public bool RequireEachIncludedType { get; set; } = true;

    public PasswordRules ToRules() => new(
        Length, ExcludeCharacters, ExcludeNumbers, ExcludePunctuation, ExcludeUppercase, ExcludeLowercase, IncludeSpace, RequireEachIncludedType);
}
