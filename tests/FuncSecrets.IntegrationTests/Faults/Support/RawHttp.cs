using System.Net.Sockets;
using System.Text;

namespace FuncSecrets.IntegrationTests.Faults.Support;

/// <summary>What came back for one raw request: nothing (the connection closed), or a status and a body.</summary>
public sealed record RawResponse(int Status, string Headers, string Body, bool Closed)
{
    public static readonly RawResponse None = new(0, string.Empty, string.Empty, true);

    /// <summary>The server was still waiting for the rest of the request when the client gave up.</summary>
    public static readonly RawResponse Stalled = new(-1, string.Empty, string.Empty, true);

    /// <summary>Every answer the service itself writes carries a request id; Kestrel's own refusals do not.</summary>
    public bool HasRequestId => Headers.Contains("\r\nx-amzn-RequestId:", StringComparison.OrdinalIgnoreCase);
}

/// <summary>
/// One request per connection over a bare socket, bytes exactly as given, so a test can send what
/// no HTTP client would (broken framing, invalid header bytes, random garbage).
/// </summary>
public static class RawHttp
{
    /// <summary>
    /// Sends <paramref name="request"/> and reads until the server closes. With
    /// <paramref name="endsConnection"/> the client half-closes after sending (for garbage that
    /// never completes a request: the FIN is all that ends it). A server still waiting for more
    /// when <paramref name="timeout"/> runs out is <see cref="RawResponse.Stalled"/>.
    /// </summary>
    public static async Task<RawResponse> SendAsync(int port, byte[] request, TimeSpan timeout, bool endsConnection)
    {
        using var cancel = new CancellationTokenSource(timeout);
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", port, cancel.Token);
        var stream = client.GetStream();
        try
        {
            await stream.WriteAsync(request, cancel.Token);
            if (endsConnection)
            {
                // Only then: Kestrel takes a FIN as the caller leaving and aborts a request in progress.
                client.Client.Shutdown(SocketShutdown.Send);
            }
        }
        catch (IOException)
        {
            // The server answered (and closed) before taking the whole request: read what it said.
        }
        catch (SocketException)
        {
            // As above.
        }

        var received = new MemoryStream();
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                var read = await stream.ReadAsync(buffer, cancel.Token);
                if (read == 0)
                {
                    break;
                }

                received.Write(buffer, 0, read);
            }
        }
        catch (IOException)
        {
            // Reset after the response: keep what arrived.
        }
        catch (OperationCanceledException) when (received.Length == 0)
        {
            return RawResponse.Stalled;
        }

        return Parse(received.ToArray());
    }

    /// <summary>Status line, headers, and the body (Content-Length or chunked).</summary>
    public static RawResponse Parse(byte[] bytes)
    {
        var text = Encoding.UTF8.GetString(bytes);
        var headerEnd = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (!text.StartsWith("HTTP/1.1 ", StringComparison.Ordinal) || headerEnd < 0)
        {
            return RawResponse.None;
        }

        var status = int.Parse(text.AsSpan(9, 3));
        var headers = text[..headerEnd];
        var body = text[(headerEnd + 4)..];
        if (headers.Contains("Transfer-Encoding: chunked", StringComparison.OrdinalIgnoreCase))
        {
            var decoded = new StringBuilder();
            var position = 0;
            while (position < body.Length)
            {
                var lineEnd = body.IndexOf("\r\n", position, StringComparison.Ordinal);
                if (lineEnd < 0)
                {
                    break;
                }

                var size = Convert.ToInt32(body[position..lineEnd].Split(';')[0].Trim(), 16);
                if (size == 0)
                {
                    break;
                }

                decoded.Append(body, lineEnd + 2, Math.Min(size, body.Length - lineEnd - 2));
                position = lineEnd + 2 + size + 2;
            }

            body = decoded.ToString();
        }

        return new RawResponse(status, headers, body, false);
    }
}
