using System.Buffers.Text;
using System.Text;
using FuncSecrets.Core.Errors;

namespace FuncSecrets.Core.Services;

/// <summary>
/// NextToken values: an opaque, URL-safe encoding of the position after the last item returned,
/// tied to the operation that issued it so a token cannot be replayed elsewhere.
/// </summary>
public static class PageToken
{
    public static string Encode(string scope, string position) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes(scope + "\n" + position));

    public static string Decode(string scope, string token)
    {
        try
        {
            var text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token));
            var split = text.IndexOf('\n', StringComparison.Ordinal);
            if (split < 0 || text[..split] != scope)
            {
                throw AwsErrors.InvalidNextToken();
            }

            return text[(split + 1)..];
        }
        catch (FormatException)
        {
            throw AwsErrors.InvalidNextToken();
        }
    }
}
