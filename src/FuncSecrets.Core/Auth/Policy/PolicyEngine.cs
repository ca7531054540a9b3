namespace FuncSecrets.Core.Auth.Policy;

/// <summary>What one policy says about one request.</summary>
internal readonly record struct PolicyVerdict(bool Allowed, bool Denied);

/// <summary>
/// Runs one policy document against a request: a statement applies when its principal (resource
/// policies only), action, resource and every condition match; any applying Deny denies, any
/// applying Allow allows.
/// </summary>
internal static class PolicyEngine
{
    public static PolicyVerdict Evaluate(PolicyDocument document, PolicyContext context, PolicyKind kind)
    {
        bool allowed = false, denied = false;
        foreach (var statement in document.Statements)
        {
            if (kind == PolicyKind.Resource && !PrincipalApplies(statement, context.PrincipalArn))
            {
                continue;
            }

            if (!ActionApplies(statement, context.Action) || !ResourceApplies(statement, context.Resource))
            {
                continue;
            }

            if (!statement.Conditions.All(condition => ConditionEvaluator.IsSatisfied(condition, context, statement.Effect)))
            {
                continue;
            }

            if (statement.Effect == PolicyEffect.Deny)
            {
                denied = true;
            }
            else
            {
                allowed = true;
            }
        }

        return new PolicyVerdict(allowed, denied);
    }

    private static bool ActionApplies(PolicyStatement statement, string action)
    {
        // Action names are case-insensitive (IAM: "secretsmanager:getsecretvalue" works).
        var any = statement.Actions.Any(pattern => Wildcard.IsMatch(pattern, action, ignoreCase: true));
        return statement.NotAction ? !any : any;
    }

    private static bool ResourceApplies(PolicyStatement statement, string resource)
    {
        // A resource policy statement without Resource covers the secret it is attached to.
        if (statement.Resources is null)
        {
            return true;
        }

        var any = statement.Resources.Any(pattern => Wildcard.ArnMatch(pattern, resource));
        return statement.NotResource ? !any : any;
    }

    private static bool PrincipalApplies(PolicyStatement statement, string callerArn)
    {
        var principal = statement.Principal!;

        // Naming an account in an Allow delegates to that account's own identity policies, so it
        // grants only to the account root itself; in a Deny or NotPrincipal it covers everyone in
        // the account (IAM User Guide, "AWS account principals").
        var accountMeansWholeAccount = statement.Effect == PolicyEffect.Deny || statement.NotPrincipal;
        var matches = principal.IsWildcard || principal.Aws.Any(entry => Matches(entry, callerArn, accountMeansWholeAccount));
        return statement.NotPrincipal ? !matches : matches;
    }

    private static bool Matches(string entry, string callerArn, bool accountMeansWholeAccount)
    {
        if (string.Equals(entry, callerArn, StringComparison.Ordinal))
        {
            return true;
        }

        var callerAccount = Arn.AccountOf(callerArn);
        var entryAccount = entry.Length == 12 && entry.All(char.IsAsciiDigit) ? entry : Arn.IsRoot(entry) ? Arn.AccountOf(entry) : null;
        if (entryAccount is not null)
        {
            return string.Equals(entryAccount, callerAccount, StringComparison.Ordinal)
                && (accountMeansWholeAccount || Arn.IsRoot(callerArn));
        }

        // A role principal matches the sessions of that role.
        var parts = callerArn.Split(':', 6);
        if (parts.Length == 6 && parts[2] == "sts" && parts[5].StartsWith("assumed-role/", StringComparison.Ordinal))
        {
            var roleName = parts[5]["assumed-role/".Length..].Split('/')[0];
            return string.Equals(entry, $"arn:{parts[1]}:iam::{parts[4]}:role/{roleName}", StringComparison.Ordinal);
        }

        return false;
    }
}
