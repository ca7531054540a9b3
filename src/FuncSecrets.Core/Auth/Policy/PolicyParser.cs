using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace FuncSecrets.Core.Auth.Policy;

/// <summary>
/// Parses IAM policy JSON (IAM User Guide, "IAM JSON policy element reference" and "Grammar of
/// the IAM JSON policy language"): <c>Version</c>, <c>Id</c>, <c>Statement</c> as one object or
/// an array; per statement <c>Sid</c>, <c>Effect</c>, <c>Principal</c>/<c>NotPrincipal</c>,
/// <c>Action</c>/<c>NotAction</c>, <c>Resource</c>/<c>NotResource</c>, <c>Condition</c>.
/// Anything outside the grammar is refused rather than ignored: an ignored element could turn a
/// Deny into nothing.
/// </summary>
internal static partial class PolicyParser
{
    private static readonly string[] Versions = ["2012-10-17", "2008-10-17"];
    private static readonly HashSet<string> TopLevelKeys = new(StringComparer.Ordinal) { "Version", "Id", "Statement" };

    private static readonly HashSet<string> StatementKeys = new(StringComparer.Ordinal)
    {
        "Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction", "Resource", "NotResource", "Condition",
    };

    /// <summary>Parses <paramref name="json"/>; on failure returns false with the problem.</summary>
    public static bool TryParse(string json, PolicyKind kind, out PolicyDocument? document, out PolicyProblem? problem)
    {
        document = null;
        try
        {
            using var parsed = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 16 });
            document = ParseDocument(parsed.RootElement, kind);
            problem = null;
            return true;
        }
        catch (JsonException)
        {
            problem = new PolicyProblem(PolicyProblemKind.Syntax, "The policy is not valid JSON.");
        }
        catch (PolicyFormatException ex)
        {
            problem = ex.Problem;
        }

        return false;
    }

    private static PolicyDocument ParseDocument(JsonElement root, PolicyKind kind)
    {
        var members = Members(root, "policy", TopLevelKeys);
        if (members.TryGetValue("Version", out var version)
            && (version.ValueKind != JsonValueKind.String || !Versions.Contains(version.GetString())))
        {
            throw Syntax("Version must be 2012-10-17 or 2008-10-17.");
        }

        if (members.TryGetValue("Id", out var id) && id.ValueKind != JsonValueKind.String)
        {
            throw Syntax("Id must be a string.");
        }

        if (!members.TryGetValue("Statement", out var statement))
        {
            throw Syntax("Missing required field Statement.");
        }

        var statements = new List<PolicyStatement>();
        if (statement.ValueKind == JsonValueKind.Object)
        {
            statements.Add(ParseStatement(statement, kind));
        }
        else if (statement.ValueKind == JsonValueKind.Array && statement.GetArrayLength() > 0)
        {
            foreach (var item in statement.EnumerateArray())
            {
                statements.Add(ParseStatement(item, kind));
            }
        }
        else
        {
            throw Syntax("Statement must be an object or a non-empty array of objects.");
        }

        return new PolicyDocument(statements);
    }

    private static PolicyStatement ParseStatement(JsonElement element, PolicyKind kind)
    {
        var members = Members(element, "statement", StatementKeys);
        string? sid = null;
        if (members.TryGetValue("Sid", out var sidElement))
        {
            sid = sidElement.ValueKind == JsonValueKind.String ? sidElement.GetString() : throw Syntax("Sid must be a string.");
        }

        var effect = members.TryGetValue("Effect", out var effectElement) ? effectElement.ValueKind == JsonValueKind.String ? effectElement.GetString() : null : null;
        var parsedEffect = effect switch
        {
            "Allow" => PolicyEffect.Allow,
            "Deny" => PolicyEffect.Deny,
            _ => throw Syntax("Effect must be Allow or Deny."),
        };

        var (actions, notAction) = OneOf(members, "Action", "NotAction", required: true);
        foreach (var action in actions!)
        {
            ValidateAction(action);
        }

        var (resources, notResource) = OneOf(members, "Resource", "NotResource", required: kind == PolicyKind.Identity);
        foreach (var resource in resources ?? [])
        {
            if (resource != "*" && !resource.StartsWith("arn:", StringComparison.Ordinal))
            {
                throw Syntax($"Resource {resource} must be in ARN format or \"*\".");
            }
        }

        var hasPrincipal = members.TryGetValue("Principal", out var principalElement);
        var hasNotPrincipal = members.TryGetValue("NotPrincipal", out var notPrincipalElement);
        PolicyPrincipal? principal = null;
        if (kind == PolicyKind.Identity && (hasPrincipal || hasNotPrincipal))
        {
            throw Syntax("Policy document should not specify a principal.");
        }

        if (kind == PolicyKind.Resource)
        {
            if (hasPrincipal == hasNotPrincipal)
            {
                throw Syntax("Statement must have exactly one of Principal and NotPrincipal.");
            }

            principal = ParsePrincipal(hasPrincipal ? principalElement : notPrincipalElement);
        }

        var conditions = members.TryGetValue("Condition", out var conditionElement) ? ParseConditions(conditionElement) : [];
        return new PolicyStatement(sid, parsedEffect, principal, hasNotPrincipal, actions, notAction, resources, notResource, conditions);
    }

    private static (IReadOnlyList<string>? Values, bool Negated) OneOf(
        Dictionary<string, JsonElement> members, string name, string negatedName, bool required)
    {
        var has = members.TryGetValue(name, out var value);
        var hasNegated = members.TryGetValue(negatedName, out var negated);
        if (has && hasNegated)
        {
            throw Syntax($"Statement can't have both {name} and {negatedName}.");
        }

        if (!has && !hasNegated)
        {
            return required ? throw Syntax($"Statement must contain {name} or {negatedName}.") : (null, false);
        }

        return (StringList(has ? value : negated, has ? name : negatedName), hasNegated);
    }

    private static void ValidateAction(string action)
    {
        if (action == "*")
        {
            return;
        }

        var colon = action.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || colon == action.Length - 1 || action.IndexOf(':', colon + 1) >= 0 || !ServicePrefix().IsMatch(action[..colon]))
        {
            throw Syntax($"Action {action} must be \"*\" or service:action.");
        }
    }

    private static PolicyPrincipal ParsePrincipal(JsonElement element)
    {
        if (element.ValueKind == JsonValueKind.String)
        {
            return element.GetString() == "*"
                ? new PolicyPrincipal(true, [], [])
                : throw new PolicyFormatException(new(PolicyProblemKind.UnsupportedPrincipal, "A string Principal must be \"*\"."));
        }

        var members = Members(element, "Principal", null);
        var aws = new List<string>();
        var services = new List<string>();
        foreach (var (name, value) in members)
        {
            switch (name)
            {
                case "AWS":
                    foreach (var arn in StringList(value, "Principal AWS"))
                    {
                        if (!IsSupportedAwsPrincipal(arn))
                        {
                            throw new PolicyFormatException(new(PolicyProblemKind.UnsupportedPrincipal, $"Principal {arn} is not an account, user, role or assumed-role."));
                        }

                        aws.Add(arn);
                    }

                    break;
                case "Service":
                    foreach (var service in StringList(value, "Principal Service"))
                    {
                        if (!ServicePrincipal().IsMatch(service))
                        {
                            throw new PolicyFormatException(new(PolicyProblemKind.InvalidServicePrincipal, $"Service principal {service} is not a service name."));
                        }

                        services.Add(service);
                    }

                    break;
                default:
                    throw new PolicyFormatException(new(PolicyProblemKind.UnsupportedPrincipal, $"Principal type {name} is not supported."));
            }
        }

        return aws.Count + services.Count == 0 ? throw Syntax("Principal must name at least one principal.") : new PolicyPrincipal(false, aws, services);
    }

    private static bool IsSupportedAwsPrincipal(string value) =>
        value == "*" || AccountId().IsMatch(value) || IamPrincipalArn().IsMatch(value) || StsPrincipalArn().IsMatch(value);

    private static List<PolicyCondition> ParseConditions(JsonElement element)
    {
        var conditions = new List<PolicyCondition>();
        foreach (var (operatorName, keys) in Members(element, "Condition", null))
        {
            var (baseOperator, set, ifExists) = ConditionOperators.Parse(operatorName)
                ?? throw Syntax($"Condition operator {operatorName} is not supported.");
            var keyMembers = Members(keys, $"Condition {operatorName}", null);
            if (keyMembers.Count == 0)
            {
                throw Syntax($"Condition {operatorName} names no key.");
            }

            foreach (var (key, values) in keyMembers)
            {
                conditions.Add(new PolicyCondition(baseOperator, set, ifExists, key, ConditionValues(values, key)));
            }
        }

        return conditions;
    }

    private static List<string> ConditionValues(JsonElement element, string key)
    {
        var items = element.ValueKind == JsonValueKind.Array ? element.EnumerateArray().ToList() : [element];
        if (items.Count == 0)
        {
            throw Syntax($"Condition key {key} has no value.");
        }

        return items.Select(item => item.ValueKind switch
        {
            JsonValueKind.String => item.GetString()!,
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            JsonValueKind.Number => item.GetRawText(),
            _ => throw Syntax($"Condition key {key} must hold strings, numbers or booleans."),
        }).ToList();
    }

    private static List<string> StringList(JsonElement element, string name)
    {
        var items = element.ValueKind == JsonValueKind.Array ? element.EnumerateArray().ToList() : [element];
        if (items.Count == 0 || items.Any(item => item.ValueKind != JsonValueKind.String || item.GetString()!.Length == 0))
        {
            throw Syntax($"{name} must be a non-empty string or array of strings.");
        }

        return items.Select(item => item.GetString()!).ToList();
    }

    // Object members by name; a duplicate name is refused (which of two Effects would apply?).
    private static Dictionary<string, JsonElement> Members(JsonElement element, string what, HashSet<string>? allowed)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw Syntax($"The {what} must be a JSON object.");
        }

        var members = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            if (allowed is not null && !allowed.Contains(property.Name))
            {
                throw Syntax($"The {what} has an unknown element {property.Name}.");
            }

            if (!members.TryAdd(property.Name, property.Value))
            {
                throw Syntax(string.Create(CultureInfo.InvariantCulture, $"The {what} has {property.Name} twice."));
            }
        }

        return members;
    }

    private static PolicyFormatException Syntax(string detail) => new(new(PolicyProblemKind.Syntax, detail));

    [GeneratedRegex("^[A-Za-z0-9-]+$")]
    private static partial Regex ServicePrefix();

    [GeneratedRegex(@"^[a-z0-9][a-z0-9.-]*\.amazonaws\.com(\.cn)?$")]
    private static partial Regex ServicePrincipal();

    [GeneratedRegex(@"^\d{12}$")]
    private static partial Regex AccountId();

    [GeneratedRegex(@"^arn:aws(-cn|-us-gov)?:iam::\d{12}:(root|(user|role)/.+)$")]
    private static partial Regex IamPrincipalArn();

    [GeneratedRegex(@"^arn:aws(-cn|-us-gov)?:sts::\d{12}:(assumed-role|federated-user)/.+$")]
    private static partial Regex StsPrincipalArn();

    /// <summary>Carries a parse problem out of the recursive descent; never escapes the parser.</summary>
    private sealed class PolicyFormatException(PolicyProblem problem) : Exception(problem.Detail)
    {
        public PolicyProblem Problem { get; } = problem;
    }
}
