using System.Net;

namespace FuncSecrets.Core.Auth.Policy;

/// <summary>
/// Evaluates one condition against the request (IAM User Guide, "Condition operators" and
/// "Single-valued vs. multivalued context keys"). Values listed for one key are ORed; a negated
/// operator is satisfied when the key matches none of them. A key missing from the request
/// satisfies <c>...IfExists</c>, a negated operator and <c>ForAllValues:</c>, and nothing else.
/// </summary>
internal static class ConditionEvaluator
{
    public static bool IsSatisfied(PolicyCondition condition, PolicyContext context, PolicyEffect effect)
    {
        if (ConditionOperators.IsFailClosed(condition.Operator))
        {
            return effect == PolicyEffect.Deny;
        }

        var present = context.Get(condition.Key);
        var missing = present is null || present.Count == 0;
        if (condition.Operator == ConditionOperators.Null)
        {
            // "Null": "true" means the key must be absent, "false" that it must be present.
            return condition.Values.Any(value => string.Equals(value, "true", StringComparison.OrdinalIgnoreCase) == missing);
        }

        if (missing)
        {
            return condition.IfExists
                || condition.Set == ConditionSet.ForAllValues
                || (condition.Set == ConditionSet.Single && ConditionOperators.IsNegated(condition.Operator));
        }

        var negated = ConditionOperators.IsNegated(condition.Operator);
        bool Holds(string value)
        {
            var any = condition.Values.Any(pattern => Matches(condition.Operator, pattern, value));
            return negated ? !any : any;
        }

        return condition.Set == ConditionSet.ForAllValues ? present!.All(Holds) : present!.Any(Holds);
    }

    private static bool Matches(string op, string pattern, string value) => op switch
    {
        ConditionOperators.StringEquals or ConditionOperators.StringNotEquals =>
            string.Equals(pattern, value, StringComparison.Ordinal),
        ConditionOperators.StringEqualsIgnoreCase or ConditionOperators.StringNotEqualsIgnoreCase =>
            string.Equals(pattern, value, StringComparison.OrdinalIgnoreCase),
        ConditionOperators.StringLike or ConditionOperators.StringNotLike =>
            Wildcard.IsMatch(pattern, value, ignoreCase: false),

        // IAM: "ArnEquals and ArnLike behave identically", wildcards allowed in each ARN part.
        ConditionOperators.ArnEquals or ConditionOperators.ArnNotEquals or ConditionOperators.ArnLike or ConditionOperators.ArnNotLike =>
            Wildcard.ArnMatch(pattern, value),
        ConditionOperators.IpAddress or ConditionOperators.NotIpAddress =>
            IPAddress.TryParse(value, out var address) && Wildcard.InCidr(pattern, address),
        ConditionOperators.Bool =>
            string.Equals(pattern, value, StringComparison.OrdinalIgnoreCase),
        _ => false,
    };
}
