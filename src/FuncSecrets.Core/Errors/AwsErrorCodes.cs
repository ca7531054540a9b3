namespace FuncSecrets.Core.Errors;

/// <summary>The error codes the service answers with, spelled as AWS spells them.</summary>
public static class AwsErrorCodes
{
    public const string ResourceNotFound = "ResourceNotFoundException";
    public const string InvalidRequest = "InvalidRequestException";
    public const string InvalidParameter = "InvalidParameterException";
    public const string ResourceExists = "ResourceExistsException";
    public const string Validation = "ValidationException";
    public const string LimitExceeded = "LimitExceededException";
    public const string MalformedPolicyDocument = "MalformedPolicyDocumentException";
    public const string PublicPolicy = "PublicPolicyException";
    public const string PreconditionNotMet = "PreconditionNotMetException";
    public const string InvalidNextToken = "InvalidNextTokenException";
    public const string DecryptionFailure = "DecryptionFailure";
    public const string EncryptionFailure = "EncryptionFailure";
    public const string InternalServiceError = "InternalServiceError";
    public const string ServiceUnavailable = "ServiceUnavailable";
    public const string Serialization = "SerializationException";
    public const string UnknownOperation = "UnknownOperationException";
    public const string UnrecognizedClient = "UnrecognizedClientException";
    public const string InvalidSignature = "InvalidSignatureException";
    public const string IncompleteSignature = "IncompleteSignatureException";
    public const string MissingAuthenticationToken = "MissingAuthenticationTokenException";
    public const string AccessDenied = "AccessDeniedException";
    public const string InvalidClientTokenId = "InvalidClientTokenId";
    public const string KmsInvalidState = "KMSInvalidStateException";
    public const string Throttling = "ThrottlingException";

    // Query protocol (common errors of AWS's Query APIs).
    public const string MissingAction = "MissingAction";
    public const string MissingParameter = "MissingParameter";
    public const string InvalidAction = "InvalidAction";
    public const string NoSuchVersion = "NoSuchVersion";
    public const string InvalidQueryParameter = "InvalidQueryParameter";
    public const string InvalidParameterValue = "InvalidParameterValue";
}
