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

    /// <summary>
    /// A ClientRequestToken that names a version holding another value (CreateSecret on an
    /// existing secret, PutSecretValue, UpdateSecret): AWS's text recorded in moto's
    /// <c>@aws_verified</c> tests (test_*_different_secret_value_with_same_token).
    /// </summary>
    public static AwsException TokenInUse(string token, string secretArn) =>
        Error(AwsErrorCodes.ResourceExists, $"You can't use ClientRequestToken {token} because that value is already in use for a version of secret {secretArn}.");

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

    // ---- Replication (issue 14) --------------------------------------------------------------
    // Texts as moto's replication tests record them (tests/test_secretsmanager/test_secrets_duplication.py).

    /// <summary>A write, rotation or policy call on a replica, or a replication call on one.</summary>
    public static AwsException OperationNotPermittedOnReplica() =>
        Error(AwsErrorCodes.InvalidParameter, "Operation not permitted on a replica secret. Call must be made in primary secret's region.");

    /// <summary>A replica Region that is this Region, a duplicate, or a Region this deployment has no peer for.</summary>
    public static AwsException InvalidReplicaRegion() =>
        Error(AwsErrorCodes.InvalidParameter, "Invalid replica region.");

    /// <summary>DeleteSecret on a primary that still has replicas; <paramref name="secretId"/> as the caller gave it.</summary>
    public static AwsException PrimaryHasReplicas(string secretId, IEnumerable<string> regions) =>
        Error(AwsErrorCodes.InvalidParameter, $"You can't delete secret {secretId} that still has replica regions [{string.Join(",", regions)}]");

    /// <summary>
    /// StopReplicationToReplica on a secret that is not a replica. AWS's exact text is not on
    /// record in any public test; the code is from the operation's error list.
    /// </summary>
    public static AwsException NotAReplica() =>
        Error(AwsErrorCodes.InvalidRequest, "Operation not permitted on a secret that is not a replica. Call must be made in the replica secret's region.");

    // ---- Crypto ----------------------------------------------------------------------------
    public static AwsException DecryptionFailure() =>
        Error(AwsErrorCodes.DecryptionFailure, "Secrets Manager can't decrypt the protected secret text using the provided KMS key.");

    public static AwsException EncryptionFailure() =>
        Error(AwsErrorCodes.EncryptionFailure, "Secrets Manager can't encrypt the protected secret text using the provided KMS key. Check that the KMS key is available, enabled, and not in an invalid state.");

    // ---- Server faults ---------------------------------------------------------------------
    public static AwsException Internal() => new(AwsErrorCodes.InternalServiceError, InternalMessage, 500);

    public static AwsException ServiceUnavailable() =>
        new(AwsErrorCodes.ServiceUnavailable, "The service is unavailable. Please try again later.", 503);

    // ---- Auth ------------------------------------------------------------------------------
    // SigV4 texts as AWS's JSON (Coral) front end sends them, all HTTP 400. Sources: real
    // responses quoted in public issues (aws-sdk-js#4285, aws-sdk-ruby#431, smithy4s#1568,
    // serverless/enterprise#11, cloud9-sync#10) and mhart/dynalite index.js, which records
    // DynamoDB's answers check by check. Scope errors end in ". " as the raw bodies show.
    public const string SignatureMismatchMessage =
        "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.";

    private const string AmzDateFormat = "yyyyMMdd'T'HHmmss'Z'";

    /// <summary>
    /// Neither an <c>Authorization</c> header nor a presigned query string. DynamoDB (dynalite)
    /// and STS (amzn/selling-partner-api-docs#3081) both say "Request is missing Authentication
    /// Token"; API Gateway's shorter "Missing Authentication Token" is a different front end.
    /// </summary>
    public static AwsException MissingAuthenticationToken() =>
        Error(AwsErrorCodes.MissingAuthenticationToken, "Request is missing Authentication Token");

    public static AwsException BothAuthenticationForms() =>
        Error(AwsErrorCodes.InvalidSignature, "Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' as HTTP header.");

    /// <summary>The <c>Authorization</c> header lacks parts; AWS lists each and echoes the header.</summary>
    public static AwsException AuthorizationHeaderIncomplete(IEnumerable<string> missingParameters, bool missingDate, string authorizationHeader)
    {
        var text = new System.Text.StringBuilder();
        foreach (var parameter in missingParameters)
        {
            text.Append("Authorization header requires '").Append(parameter).Append("' parameter. ");
        }

        if (missingDate)
        {
            text.Append("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. ");
        }

        text.Append("Authorization=").Append(authorizationHeader);
        return Error(AwsErrorCodes.IncompleteSignature, text.ToString());
    }

    public static AwsException AuthorizationPairInvalid(string pair, string authorizationHeader) =>
        Error(AwsErrorCodes.IncompleteSignature, $"'{pair}' not a valid key=value pair (missing equal-sign) in Authorization header: '{authorizationHeader}'.");

    public static AwsException PresignedQueryIncomplete(IEnumerable<string> missingParameters)
    {
        var text = new System.Text.StringBuilder();
        foreach (var parameter in missingParameters)
        {
            text.Append("AWS query-string parameters must include '").Append(parameter).Append("'. ");
        }

        text.Append("Re-examine the query-string parameters.");
        return Error(AwsErrorCodes.IncompleteSignature, text.ToString());
    }

    public static AwsException DateNotIso8601(string value) =>
        Error(AwsErrorCodes.IncompleteSignature, $"Date must be in ISO-8601 'basic format'. Got '{value}'. See http://en.wikipedia.org/wiki/ISO_8601");

    public static AwsException UnsupportedSigningAlgorithm(string algorithm) =>
        Error(AwsErrorCodes.IncompleteSignature, $"Unsupported AWS 'algorithm': '{algorithm}' (only AWS4-HMAC-SHA256 for now). ");

    public static AwsException CredentialMalformed(string credential) =>
        Error(AwsErrorCodes.IncompleteSignature, $"Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '{credential}'");

    // X-Amz-Expires texts are S3's (minio/minio#5162, minio-js#1312): the JSON services publish none.
    public static AwsException PresignedExpiresNotNumber() =>
        Error(AwsErrorCodes.IncompleteSignature, "X-Amz-Expires should be a number");

    public static AwsException PresignedExpiresNegative() =>
        Error(AwsErrorCodes.IncompleteSignature, "X-Amz-Expires must be non-negative");

    public static AwsException PresignedExpiresTooLarge() =>
        Error(AwsErrorCodes.IncompleteSignature, "X-Amz-Expires must be less than a week (in seconds); that is, the given X-Amz-Expires must be less than 604800 seconds");

    /// <summary>"Signature expired: {signed} is now earlier than {now - window} ({now} - {window})".</summary>
    public static AwsException SignatureExpired(DateTimeOffset signedAt, DateTimeOffset now, TimeSpan window) =>
        Error(AwsErrorCodes.InvalidSignature, $"Signature expired: {Stamp(signedAt)} is now earlier than {Stamp(now - window)} ({Stamp(now)} - {Window(window)})");

    public static AwsException SignatureNotYetCurrent(DateTimeOffset signedAt, DateTimeOffset now, TimeSpan window) =>
        Error(AwsErrorCodes.InvalidSignature, $"Signature not yet current: {Stamp(signedAt)} is still later than {Stamp(now + window)} ({Stamp(now)} + {Window(window)})");

    /// <summary>
    /// X-Amz-Target present but not signed. AWS publishes no text for it; ours follows the form of
    /// its "'Host' must be a 'SignedHeader'" answer, with the same code.
    /// </summary>
    public static AwsException TargetNotSigned() =>
        Error(AwsErrorCodes.InvalidSignature, "'X-Amz-Target' must be a 'SignedHeader' in the AWS Authorization.");

    public static AwsException HostNotSigned() =>
        Error(AwsErrorCodes.InvalidSignature, "'Host' must be a 'SignedHeader' in the AWS Authorization.");

    public static string ScopeRegionProblem(string region) => $"Credential should be scoped to a valid region, not '{region}'. ";

    public static string ScopeServiceProblem(string expectedService) => $"Credential should be scoped to correct service: '{expectedService}'. ";

    public static string ScopeTerminatorProblem(string terminator) => $"Credential should be scoped with a valid terminator: 'aws4_request', not '{terminator}'. ";

    public static string ScopeDateProblem(string scopeDate, string requestDate, string requestTimestamp) =>
        $"Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '{scopeDate}' != '{requestDate}', from '{requestTimestamp}'. ";

    /// <summary>One error carrying every scope problem, in AWS's order (region, service, terminator, date).</summary>
    public static AwsException CredentialScopeInvalid(IEnumerable<string> problems) =>
        Error(AwsErrorCodes.InvalidSignature, string.Concat(problems));

    /// <summary>Unknown access key id.</summary>
    public static AwsException UnrecognizedClient() =>
        Error(AwsErrorCodes.UnrecognizedClient, "The security token included in the request is invalid.");

    /// <summary>Session token missing or wrong for the key (no final period: dynalite records it so).</summary>
    public static AwsException SecurityTokenInvalid() =>
        Error(AwsErrorCodes.UnrecognizedClient, "The security token included in the request is invalid");

    /// <summary>Wrong signature, whatever part of the request or key differs.</summary>
    public static AwsException SignatureMismatch() => Error(AwsErrorCodes.InvalidSignature, SignatureMismatchMessage);

    // Access denied: "User: {arn} is not authorized to perform: {action} on resource: {arn} because
    // no identity-based policy allows the {action} action" (IAM "Troubleshoot access denied error
    // messages"; Secrets Manager answers quoted in binbashar/le-tf-infra-aws#874 and
    // cloud-custodian#10055). Account-level actions (resource "*") drop "on resource: ...".
    public static AwsException AccessDeniedNoAllow(string principalArn, string action, string resource) =>
        Error(AwsErrorCodes.AccessDenied, $"{DeniedPrefix(principalArn, action, resource)} because no identity-based policy allows the {action} action");

    public static AwsException AccessDeniedIdentityDeny(string principalArn, string action, string resource) =>
        Error(AwsErrorCodes.AccessDenied, $"{DeniedPrefix(principalArn, action, resource)} with an explicit deny in an identity-based policy");

    public static AwsException AccessDeniedResourceDeny(string principalArn, string action, string resource) =>
        Error(AwsErrorCodes.AccessDenied, $"{DeniedPrefix(principalArn, action, resource)} with an explicit deny in a resource-based policy");

    // Resource policy texts: awsdocs/aws-secrets-manager-docs doc_source/manage_secret-policy.md;
    // "This policy has invalid syntax." is the API's answer quoted in
    // awsdocs/aws-cloudformation-user-guide#623.
    public static AwsException MalformedPolicySyntax() =>
        Error(AwsErrorCodes.MalformedPolicyDocument, "This policy has invalid syntax.");

    public static AwsException MalformedPolicyUnsupportedPrincipal() =>
        Error(AwsErrorCodes.MalformedPolicyDocument, "This resource policy contains an unsupported principal.");

    public static AwsException MalformedPolicyInvalidServicePrincipal() =>
        Error(AwsErrorCodes.MalformedPolicyDocument, "This resource policy contains an invalid service principal.");

    public static AwsException PublicPolicy() =>
        Error(AwsErrorCodes.PublicPolicy, "You can't attach a resource-based policy that allows broad access to the secret.");

    private static string DeniedPrefix(string principalArn, string action, string resource) =>
        resource == "*"
            ? $"User: {principalArn} is not authorized to perform: {action}"
            : $"User: {principalArn} is not authorized to perform: {action} on resource: {resource}";

    private static string Stamp(DateTimeOffset value) => value.UtcDateTime.ToString(AmzDateFormat, CultureInfo.InvariantCulture);

    // Coral prints its 5-minute window as "5 min."; a presigned window that is not whole minutes
    // is printed in seconds.
    private static string Window(TimeSpan window) =>
        window.Ticks % TimeSpan.TicksPerMinute == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{(long)window.TotalMinutes} min.")
            : string.Create(CultureInfo.InvariantCulture, $"{(long)window.TotalSeconds} sec.");

    // ---- KMS key selection (encryption layer) ----------------------------------------------
    /// <summary>
    /// A KmsKeyId that names no key we can use. AWS answers CreateSecret/UpdateSecret with
    /// InvalidParameterException "The operation failed because of an invalid KMS key: " followed by
    /// KMS's own reason; for an unusable key id that reason is "Invalid keyId" (quoted from AWS in
    /// hashicorp/terraform-provider-aws#13303; boto/boto3#1533 confirms the code for an invalid key
    /// id or alias).
    /// </summary>
    public static AwsException InvalidKmsKey() =>
        Error(AwsErrorCodes.InvalidParameter, "The operation failed because of an invalid KMS key: Invalid keyId");

    // ---- Query protocol (Action=...&Version=..., XML) -------------------------------------
    // Codes from AWS's common errors of Query APIs (Secrets Manager API reference, "Common
    // Errors"); "Could not find operation X for version Y" and "The requested version (V) of
    // service S does not exist" are the texts AWS's Query front ends answer (quoted in
    // gaul/s3proxy's STS emulation and aws/aws-sdk-php#1217). None echoes a parameter value.
    public static AwsException MissingAction() =>
        Error(AwsErrorCodes.MissingAction, "The request must contain the parameter Action.");

    public static AwsException MissingParameter(string parameter) =>
        Error(AwsErrorCodes.MissingParameter, $"The request must contain the parameter {parameter}.");

    public static AwsException InvalidAction(string action, string version) =>
        Error(AwsErrorCodes.InvalidAction, $"Could not find operation {action} for version {version}");

    public static AwsException NoSuchVersion(string version) =>
        Error(AwsErrorCodes.NoSuchVersion, $"The requested version ({version}) of service secretsmanager does not exist");

    /// <summary>Parameter names that do not follow the Query conventions (lists, maps, structures).</summary>
    public static AwsException QueryParameterInvalid(string message) => Error(AwsErrorCodes.InvalidQueryParameter, message);

    /// <summary>A value that is not of its member's type; the value itself is never repeated.</summary>
    public static AwsException QueryValueInvalid(string parameter, string expected) =>
        Error(AwsErrorCodes.InvalidParameterValue, $"The value of parameter {parameter} is not valid: expected {expected}.");

    /// <summary>A GET whose URL is over the limit: HTTP 414, with the way out in the text.</summary>
    public static AwsException QueryUrlTooLong(int length, int limit) =>
        new(AwsErrorCodes.InvalidQueryParameter, string.Create(CultureInfo.InvariantCulture, $"The request URL is {length} bytes long; the limit is {limit} bytes. Send the parameters form-encoded in the body of a POST request instead."), 414);

    /// <summary>
    /// A response value (a SecretString, a description) holding characters that XML 1.0 cannot
    /// carry at all, such as U+0000: refused rather than sent as broken or altered XML.
    /// </summary>
    public static AwsException QueryValueNotRepresentable() =>
        Error(AwsErrorCodes.InvalidRequest, "The response contains a value with characters that XML 1.0 cannot represent (such as U+0000-U+0008 or an unpaired surrogate). Call this operation with the JSON 1.1 protocol (X-Amz-Target header) to read it.");

    // ---- Rotation --------------------------------------------------------------------------
    // AccessDenied and "No Lambda ..." are AWS's recorded answers (LocalStack snapshots recorded
    // against AWS, test_rotate_secret_invalid_lambda_arn; go-sdk CI logs). "Previous rotation
    // request is still in progress." is the emulators' text for the rule AWS documents in
    // RotateSecret. "You cannot specify both ..." is AWS's answer quoted in
    // hashicorp/terraform-provider-aws#33329. Schedule texts are ours: AWS's are not recorded.
    public static AwsException NoRotationFunction() =>
        Error(AwsErrorCodes.InvalidRequest, "No Lambda rotation function ARN is associated with this secret.");

    /// <summary>The rotation function cannot be invoked: AWS answers AccessDenied with HTTP 400.</summary>
    public static AwsException CannotInvokeRotationFunction() =>
        Error(AwsErrorCodes.AccessDenied, "Secrets Manager cannot invoke the specified Lambda function. Ensure that the function policy grants access to the principal secretsmanager.amazonaws.com.");

    public static AwsException RotationInProgress() =>
        Error(AwsErrorCodes.InvalidRequest, "Previous rotation request is still in progress.");

    public static AwsException RotationTokenInUse(string token) =>
        Error(AwsErrorCodes.InvalidRequest, $"A version with the ClientRequestToken {token} already exists. Use a new ClientRequestToken to start a rotation.");

    /// <summary>CancelRotateSecret on a secret that has no rotation function (AWS's documented cause of InvalidRequestException).</summary>
    public static AwsException RotationNotConfigured() =>
        Error(AwsErrorCodes.InvalidRequest, "You tried to enable rotation on a secret that doesn't already have a Lambda function ARN configured and you didn't include such an ARN as a parameter in this call.");

    public static AwsException RotationFrequencyAndSchedule() =>
        Error(AwsErrorCodes.InvalidParameter, "You cannot specify both rotation frequency and schedule expression together.");

    public static AwsException InvalidRotationSchedule(string reason) => Error(AwsErrorCodes.InvalidParameter, reason);
}
