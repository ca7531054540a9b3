using System.Globalization;

namespace FuncSecrets.Core.Errors;

/// <summary>
/// Every error the service answers with on purpose, each with AWS's exact text, in one file that
/// can be diffed against AWS.
/// </summary>
public static class AwsErrors
{
    public const string InternalMessage = "An error occurred on the server side.";

    private static AwsException Error(string code, string message) => new(code, message);

    // ---- Not found -------------------------------------------------------------------------
    public static AwsException SecretNotFound() =>
        Error(AwsErrorCodes.ResourceNotFound, "Secrets Manager can't find the specified secret.");

    public static AwsException ValueNotFoundForStage(string stage) =>
        Error(AwsErrorCodes.ResourceNotFound, $"Secrets Manager can't find the specified secret value for staging label: {stage}");

    public static AwsException ValueNotFoundForVersion(string versionId) =>
        Error(AwsErrorCodes.ResourceNotFound, $"Secrets Manager can't find the specified secret value for VersionId: {versionId}");

    public static AwsException VersionStageMismatch() =>
        Error(AwsErrorCodes.InvalidRequest, "You provided a VersionStage that is not associated to the provided VersionId.");

    // ---- Staging labels --------------------------------------------------------------------
    public static AwsException RemoveFromVersionIdRequired(string stage, string holder) =>
        Error(AwsErrorCodes.InvalidParameter, $"The parameter RemoveFromVersionId can't be empty. Staging label {stage} is currently attached to version {holder}, so you must explicitly reference that version in RemoveFromVersionId.");

    public static AwsException StageNotOnVersion(string stage, string versionId) =>
        Error(AwsErrorCodes.InvalidParameter, $"The staging label {stage} is not currently attached to version {versionId}.");

    public static AwsException CannotRemoveCurrent() =>
        Error(AwsErrorCodes.InvalidParameter, "You can only move staging label AWSCURRENT to a different secret version. It can't be completely removed.");

    public static AwsException TooManyLabels() =>
        Error(AwsErrorCodes.LimitExceeded, "A version can't have more than 20 staging labels.");

    // ---- Deletion --------------------------------------------------------------------------
    public static AwsException MarkedForDeletion() =>
        Error(AwsErrorCodes.InvalidRequest, "You can't perform this operation on the secret because it was marked for deletion.");

    public static AwsException NameScheduledForDeletion() =>
        Error(AwsErrorCodes.InvalidRequest, "You can't create this secret because a secret with this name is already scheduled for deletion.");

    public static AwsException RecoveryWindowWithForceDelete() =>
        Error(AwsErrorCodes.InvalidParameter, "You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.");

    public static AwsException RecoveryWindowOutOfRange() =>
        Error(AwsErrorCodes.InvalidParameter, "The RecoveryWindowInDays value must be between 7 and 30 days (inclusive).");

    // ---- Existence and tokens --------------------------------------------------------------
    public static AwsException SecretExists(string name) =>
        Error(AwsErrorCodes.ResourceExists, $"The operation failed because the secret {name} already exists.");

    public static AwsException VersionExistsWithOtherValue() =>
        Error(AwsErrorCodes.ResourceExists, "You can't modify an existing version, you can only create a new version.");

    public static AwsException MissingClientRequestToken(string code = AwsErrorCodes.InvalidRequest) =>
        Error(code, "You must provide a ClientRequestToken value. We recommend a UUID-type value.");

    public static AwsException VersionLimitExceeded() =>
        Error(AwsErrorCodes.LimitExceeded, "You have exceeded the maximum number of versions for this secret. Remove staging labels from versions you no longer need.");

    // ---- Validation ------------------------------------------------------------------------
    public static AwsException MissingSecretValue() =>
        Error(AwsErrorCodes.InvalidRequest, "You must provide either SecretString or SecretBinary.");

    public static AwsException InvalidName() =>
        Error(AwsErrorCodes.Validation, "Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!");

    public static AwsException InvalidParameter(string message) => Error(AwsErrorCodes.InvalidParameter, message);

    public static AwsException InvalidRequest(string message) => Error(AwsErrorCodes.InvalidRequest, message);

    public static AwsException Validation(string message) => Error(AwsErrorCodes.Validation, message);

    /// <summary>The Coral-style constraint message AWS sends for a member that breaks the model.</summary>
    public static AwsException ConstraintViolation(string member, string constraint, string? shownValue = null)
    {
        var value = shownValue is null ? "Value" : $"Value '{shownValue}'";
        return Error(AwsErrorCodes.Validation, $"1 validation error detected: {value} at '{member}' failed to satisfy constraint: {constraint}");
    }

    public static AwsException MissingMember(string member) =>
        Error(AwsErrorCodes.Validation, $"1 validation error detected: Value null at '{member}' failed to satisfy constraint: Member must not be null");

    public static AwsException MaxLength(string member, int max, string? shownValue = null) =>
        ConstraintViolation(member, string.Create(CultureInfo.InvariantCulture, $"Member must have length less than or equal to {max}"), shownValue);

    public static AwsException MinLength(string member, int min, string? shownValue = null) =>
        ConstraintViolation(member, string.Create(CultureInfo.InvariantCulture, $"Member must have length greater than or equal to {min}"), shownValue);

    public static AwsException InvalidNextToken() =>
        Error(AwsErrorCodes.InvalidNextToken, "The NextToken value is invalid.");

    public static AwsException Serialization(string message) => Error(AwsErrorCodes.Serialization, message);

    public static AwsException UnknownOperation() => Error(AwsErrorCodes.UnknownOperation, string.Empty);

    public static AwsException ReplicationNotSupported() =>
        Error(AwsErrorCodes.InvalidRequest, "Replication to other Regions is not supported by this Secrets Manager endpoint.");

    // ---- Crypto ----------------------------------------------------------------------------
    public static AwsException DecryptionFailure() =>
        Error(AwsErrorCodes.DecryptionFailure, "Secrets Manager can't decrypt the protected secret text using the provided KMS key.");

    public static AwsException EncryptionFailure() =>
        Error(AwsErrorCodes.EncryptionFailure, "Secrets Manager can't encrypt the protected secret text using the provided KMS key. Check that the KMS key is available, enabled, and not in an invalid state.");

    // ---- Server faults ---------------------------------------------------------------------
    public static AwsException Internal() => new(AwsErrorCodes.InternalServiceError, InternalMessage, 500);

    public static AwsException ServiceUnavailable() =>
        new(AwsErrorCodes.ServiceUnavailable, "The service is unavailable. Please try again later.", 503);
}
