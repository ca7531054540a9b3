using FuncSecrets.Core.Auth.Policy;
using FuncSecrets.Core.Errors;

namespace FuncSecrets.Core.Auth;

/// <summary>
/// Checks resource policies for <c>PutResourcePolicy</c> and <c>ValidateResourcePolicy</c>: the
/// IAM grammar (<c>MalformedPolicyDocumentException</c>) and broad access (what
/// <c>BlockPublicPolicy</c> refuses with <c>PublicPolicyException</c>).
/// </summary>
public static class PolicyValidator
{
    /// <summary>The <c>CheckName</c> of a broad-access finding (our name: AWS's is not published).</summary>
    public const string BroadAccessCheck = "BROAD_ACCESS";

    // Keys that pin a wildcard principal down to known callers or networks (the keys the
    // Secrets Manager guide's cross-account and VPC examples use).
    private static readonly HashSet<string> RestrictingKeys = new(StringComparer.OrdinalIgnoreCase)
    {
        "aws:PrincipalArn", "aws:PrincipalAccount", "aws:PrincipalOrgID", "aws:PrincipalOrgPaths", "aws:SourceAccount",
        "aws:SourceArn", "aws:SourceOwner", "aws:SourceVpc", "aws:SourceVpce", "aws:SourceIp", "aws:userid", "aws:username",
    };

    private static readonly HashSet<string> RestrictingOperators = new(StringComparer.Ordinal)
    {
        ConditionOperators.StringEquals, ConditionOperators.StringEqualsIgnoreCase, ConditionOperators.StringLike,
        ConditionOperators.ArnEquals, ConditionOperators.ArnLike, ConditionOperators.IpAddress,
    };

    /// <summary>Throws <c>MalformedPolicyDocumentException</c> unless the resource policy is well formed.</summary>
    public static void Validate(string resourcePolicy) => Parse(resourcePolicy);

    /// <summary>
    /// True when an Allow statement grants to everyone (<c>"*"</c>, <c>{"AWS":"*"}</c> or
    /// <c>NotPrincipal</c>) without a condition that pins the caller, account, organization,
    /// source or network. Throws <c>MalformedPolicyDocumentException</c> for a malformed policy.
    /// </summary>
    public static bool IsPublic(string resourcePolicy) => Parse(resourcePolicy).Statements.Any(IsBroad);

    /// <summary>
    /// What <c>PutResourcePolicy</c> checks: well formed, and not public when
    /// <paramref name="blockPublicPolicy"/> (the API's default is true).
    /// </summary>
    public static void ValidateForPut(string resourcePolicy, bool blockPublicPolicy)
    {
        var document = Parse(resourcePolicy);
        if (blockPublicPolicy && document.Statements.Any(IsBroad))
        {
            throw AwsErrors.PublicPolicy();
        }
    }

    /// <summary>
    /// <c>ValidateResourcePolicy</c>'s answer: a malformed policy throws; a public one passes
    /// syntax but fails with one finding per broad statement.
    /// </summary>
    public static ResourcePolicyValidation ValidateResourcePolicy(string resourcePolicy)
    {
        var document = Parse(resourcePolicy);
        var errors = document.Statements
            .Select((statement, index) => (statement, index))
            .Where(item => IsBroad(item.statement))
            .Select(item => new ResourcePolicyValidationError(
                BroadAccessCheck,
                $"Statement {item.statement.Sid ?? (item.index + 1).ToString(System.Globalization.CultureInfo.InvariantCulture)} allows broad access to the secret."))
            .ToList();
        return new ResourcePolicyValidation(errors.Count == 0, errors);
    }

    private static PolicyDocument Parse(string resourcePolicy)
    {
        ArgumentNullException.ThrowIfNull(resourcePolicy);
        if (PolicyParser.TryParse(resourcePolicy, PolicyKind.Resource, out var document, out var problem))
        {
            return document!;
        }

        throw problem!.Kind switch
        {
            PolicyProblemKind.UnsupportedPrincipal => AwsErrors.MalformedPolicyUnsupportedPrincipal(),
            PolicyProblemKind.InvalidServicePrincipal => AwsErrors.MalformedPolicyInvalidServicePrincipal(),
            _ => AwsErrors.MalformedPolicySyntax(),
        };
    }

    private static bool IsBroad(PolicyStatement statement) =>
        statement.Effect == PolicyEffect.Allow
        && (statement.NotPrincipal || statement.Principal!.IsWildcard)
        && !statement.Conditions.Any(IsRestricting);

    private static bool IsRestricting(PolicyCondition condition) =>
        RestrictingOperators.Contains(condition.Operator)
        && !condition.IfExists
        && condition.Set != ConditionSet.ForAllValues
        && RestrictingKeys.Contains(condition.Key)
        && condition.Values.All(value => value is not ("*" or "0.0.0.0/0" or "::/0"));
}

/// <summary>The shape of <c>ValidateResourcePolicyResponse</c> (less ARN and Name).</summary>
public sealed record ResourcePolicyValidation(bool PolicyValidationPassed, IReadOnlyList<ResourcePolicyValidationError> ValidationErrors);

/// <summary>One <c>ValidationErrorsEntry</c>.</summary>
public sealed record ResourcePolicyValidationError(string CheckName, string ErrorMessage);
