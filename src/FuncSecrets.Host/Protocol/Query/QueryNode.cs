namespace FuncSecrets.Host.Protocol.Query;

/// <summary>
/// Query parameter names split at their dots into a tree: <c>Tags.member.1.Key=k</c> becomes
/// Tags → member → 1 → Key = [k]. Nothing is judged while building: a node keeps every value it
/// was given, so conflicts (a repeated name, a value beside members) are reported only if the
/// request shape actually reaches that node, and parameters it does not name stay harmless.
/// </summary>
public sealed class QueryNode
{
    private Dictionary<string, QueryNode>? _children;

    /// <summary>Values given to exactly this name (more than one means the name was repeated).</summary>
    public List<string> Values { get; } = [];

    /// <summary>Child nodes by the next name segment, case-sensitive, in arrival order.</summary>
    public IReadOnlyDictionary<string, QueryNode> Children =>
        (IReadOnlyDictionary<string, QueryNode>?)_children ?? EmptyChildren;

    private static readonly Dictionary<string, QueryNode> EmptyChildren = new(StringComparer.Ordinal);

    public static QueryNode Build(IEnumerable<KeyValuePair<string, string>> pairs)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        var root = new QueryNode();
        foreach (var (name, value) in pairs)
        {
            var node = root;
            foreach (var segment in name.Split('.'))
            {
                node = node.GetOrAdd(segment);
            }

            node.Values.Add(value);
        }

        return root;
    }

    public QueryNode? Child(string name) =>
        _children is not null && _children.TryGetValue(name, out var child) ? child : null;

    private QueryNode GetOrAdd(string segment)
    {
        _children ??= new Dictionary<string, QueryNode>(StringComparer.Ordinal);
        if (!_children.TryGetValue(segment, out var child))
        {
            child = new QueryNode();
            _children.Add(segment, child);
        }

        return child;
    }
}
