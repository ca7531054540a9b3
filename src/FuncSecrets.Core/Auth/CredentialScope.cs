using FuncSecrets.Core.Errors;

namespace FuncSecrets.Core.Auth;

/// <summary>
/// The <c>Credential</c> value: <c>AKID/yyyymmdd/region/service/aws4_request</c>. Everything after
/// the key id is the credential scope that goes into the string to sign.
/// </summary>
internal sealed record CredentialScope(string AccessKeyId, string Date, string Region, string Service, string Terminator)
{
    public const string ValidTerminator = "aws4_request";

    /// <summary>The scope line of the string to sign.</summary>
    public string Scope => $"{Date}/{Region}/{Service}/{Terminator}";

    /// <summary>Splits the credential; throws IncompleteSignature unless it has five parts.</summary>
    public static CredentialScope Parse(string credential)
    {
        // Trailing slashes are ignored (dynalite's record of DynamoDB's behavior).
        var parts = credential.TrimEnd('/').Split('/');
        if (parts.Length != 5)
        {
            throw AwsErrors.CredentialMalformed(credential);
        }

        return new CredentialScope(parts[0], parts[1], parts[2], parts[3], parts[4]);
    }

    /// <summary>
    /// Throws one InvalidSignature error listing every mismatch, in AWS's order: region,
    /// service, terminator, date. Each part must match exactly, case included.
    /// </summary>
    public void Validate(string expectedRegion, string expectedService, string requestTimestamp)
    {
        var problems = new List<string>();
        if (!string.Equals(Region, expectedRegion, StringComparison.Ordinal))
        {
            problems.Add(AwsErrors.ScopeRegionProblem(Region));
        }

        if (!string.Equals(Service, expectedService, StringComparison.Ordinal))
        {
            problems.Add(AwsErrors.ScopeServiceProblem(expectedService));
        }

        if (!string.Equals(Terminator, ValidTerminator, StringComparison.Ordinal))
        {
            problems.Add(AwsErrors.ScopeTerminatorProblem(Terminator));
        }

        var requestDate = requestTimestamp[..8];
        if (!string.Equals(Date, requestDate, StringComparison.Ordinal))
        {
            problems.Add(AwsErrors.ScopeDateProblem(Date, requestDate, requestTimestamp));
        }

        if (problems.Count > 0)
        {
            throw AwsErrors.CredentialScopeInvalid(problems);
        }
    }
}
