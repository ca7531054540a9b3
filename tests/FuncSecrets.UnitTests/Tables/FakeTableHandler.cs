using System.Net;
using System.Text;

namespace FuncSecrets.UnitTests.Tables;

/// <summary>An in-memory HTTP handler: records each request and answers from a script.</summary>
internal sealed class FakeTableHandler(Func<HttpRequestMessage, int, HttpResponseMessage> respond) : HttpMessageHandler
{
    /// <summary>When set, requests wait for cancellation instead of answering (a silent server).</summary>
    public bool Hang { get; init; }

    public List<(HttpRequestMessage Request, string? Body)> Requests { get; } = [];

    public static HttpResponseMessage Json(HttpStatusCode status, string json, params (string Name, string Value)[] headers)
    {
        var response = new HttpResponseMessage(status)
        {
            Content = new StringContent(json, Encoding.UTF8, "application/json"),
        };
        foreach (var (name, value) in headers)
        {
            response.Headers.TryAddWithoutValidation(name, value);
        }

        return response;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        // As a real handler does: a cancelled request never reaches the server.
        cancellationToken.ThrowIfCancellationRequested();
        var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        Requests.Add((request, body));
        if (Hang)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }

        return respond(request, Requests.Count);
    }
}
