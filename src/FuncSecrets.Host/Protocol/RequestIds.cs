namespace FuncSecrets.Host.Protocol;

/// <summary>The request id every response carries in <c>x-amzn-RequestId</c>.</summary>
public static class RequestIds
{
    public const string Header = "x-amzn-RequestId";
    private const string ItemKey = "FuncSecrets.RequestId";

    /// <summary>The id of this request, made (and put on the response) on first use.</summary>
    public static string Get(HttpContext context)
    {
        if (context.Items.TryGetValue(ItemKey, out var existing) && existing is string id)
        {
            return id;
        }

        id = Guid.NewGuid().ToString();
        context.Items[ItemKey] = id;
        context.Response.Headers[Header] = id;
        return id;
    }
}
