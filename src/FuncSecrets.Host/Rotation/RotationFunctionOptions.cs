using FuncSecrets.Core.Rotation;

namespace FuncSecrets.Host.Rotation;

/// <summary>
/// How the host reaches rotation functions, bound from <c>FuncSecrets:Rotation</c> (the same
/// section as <see cref="RotationOptions"/>). App settings cannot have <c>:</c> in a key, so the
/// ARN → URL map is a list: <c>FuncSecrets__Rotation__Functions__0__Arn</c>,
/// <c>..__0__Url</c> and optionally <c>..__0__Key</c> (sent as <c>x-functions-key</c>).
/// </summary>
public sealed class RotationFunctionOptions
{
    /// <summary>Bound from the same section as <see cref="RotationOptions"/>.</summary>
    public const string SectionName = RotationOptions.SectionName;

    /// <summary>The header an Azure Function reads its function key from.</summary>
    public const string FunctionKeyHeader = "x-functions-key";

    /// <summary>Lambda ARNs (as callers put them in RotationLambdaARN) and the URL each stands for.</summary>
    public List<RotationFunction> Functions { get; set; } = [];

    /// <summary>
    /// Whether an https URL may be given directly as RotationLambdaARN. Default true. A key in
    /// such a URL (<c>?code=</c>) is visible to everyone who may call DescribeSecret: prefer a
    /// mapped ARN with <see cref="RotationFunction.Key"/>.
    /// </summary>
    public bool AllowDirectUrls { get; set; } = true;

    /// <summary>
    /// Whether plain-http URLs on the loopback interface (<c>http://127.0.0.1:…</c>,
    /// <c>http://localhost:…</c>) are allowed, directly or mapped. For local development and
    /// tests only; default false. Other http URLs are never called.
    /// </summary>
    public bool AllowHttpLoopback { get; set; }

    /// <summary>How long one call to a function may take before the step counts as timed out. Default 30 s.</summary>
    public TimeSpan StepTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Calls per step: a connection failure, 429, 502, 503 or 504 is tried again (the steps of a
    /// rotation function are idempotent by AWS's contract). A timeout is not: the function may
    /// still be running. Default 3.
    /// </summary>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>Wait before the second call; doubled for each further one. Default 500 ms.</summary>
    public TimeSpan CallRetryDelay { get; set; } = TimeSpan.FromMilliseconds(500);
}

/// <summary>One mapped rotation function.</summary>
public sealed class RotationFunction
{
    /// <summary>The ARN callers give as RotationLambdaARN, e.g. <c>arn:aws:lambda:us-east-1:123456789012:function:rotate-db</c>.</summary>
    public string Arn { get; set; } = string.Empty;

    /// <summary>Where the function listens (https, or http on loopback when allowed).</summary>
    public string Url { get; set; } = string.Empty;

    /// <summary>Optional function key, sent as <c>x-functions-key</c>. Keep it in a Key Vault reference.</summary>
    public string? Key { get; set; }
}
