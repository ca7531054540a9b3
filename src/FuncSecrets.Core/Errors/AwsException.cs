namespace FuncSecrets.Core.Errors;

/// <summary>
/// The one exception a handler throws on purpose: an AWS error code, AWS's message text and the
/// HTTP status AWS answers with. Never carries a secret value.
/// </summary>
public sealed class AwsException : Exception
{
    public AwsException(string code, string message, int statusCode = 400)
        : base(message)
    {
        Code = code;
        StatusCode = statusCode;
    }

    public AwsException()
        : this(AwsErrorCodes.InternalServiceError, AwsErrors.InternalMessage, 500)
    {
    }

    public AwsException(string message)
        : this(AwsErrorCodes.InternalServiceError, message, 500)
    {
    }

    public AwsException(string message, Exception innerException)
        : base(message, innerException)
    {
        Code = AwsErrorCodes.InternalServiceError;
        StatusCode = 500;
    }

    /// <summary>The AWS error code, sent as <c>__type</c>.</summary>
    public string Code { get; }

    /// <summary>400 for a client fault, 500/503 for a server fault.</summary>
    public int StatusCode { get; }

    /// <summary>True when the fault is the caller's (the Query protocol's <c>Sender</c>).</summary>
    public bool IsClientFault => StatusCode < 500;
}
