using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using FuncSecrets.Core.Rotation;

namespace FuncSecrets.Host.Rotation;

/// <summary>
/// Calls rotation functions over HTTP(S): one POST per step carrying the event JSON an AWS
/// rotation Lambda receives. Each call is bounded by <see cref="RotationFunctionOptions.StepTimeout"/>;
/// connection failures and 429/502/503/504 are tried again with backoff, up to
/// <see cref="RotationFunctionOptions.MaxAttempts"/>. Nothing here logs a URL's query, a key or a
/// response body; the outcome goes back to the rotation runner, which logs it.
/// </summary>
public sealed class HttpRotationFunctionInvoker : IRotationFunctionInvoker, IDisposable
{
    private static readonly MediaTypeHeaderValue JsonMediaType = new("application/json");

    private readonly RotationFunctionOptions _options;
    private readonly HttpClient _client;
    private readonly Dictionary<string, RotationFunction> _mapped;

    public HttpRotationFunctionInvoker(RotationFunctionOptions options)
        : this(options, new SocketsHttpHandler
        {
            // A function answers where it was asked; a redirect could move a key elsewhere.
            AllowAutoRedirect = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            ConnectTimeout = TimeSpan.FromSeconds(10),
        })
    {
    }

    /// <summary>With a handler of the caller's (tests).</summary>
    public HttpRotationFunctionInvoker(RotationFunctionOptions options, HttpMessageHandler handler)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        _mapped = new Dictionary<string, RotationFunction>(StringComparer.Ordinal);
        foreach (var function in options.Functions)
        {
            if (!string.IsNullOrWhiteSpace(function.Arn))
            {
                _mapped[function.Arn.Trim()] = function;
            }
        }
    }

    public bool CanInvoke(string function) => Resolve(function) is not null;

    public async Task<RotationStepResult> InvokeAsync(string function, RotationEvent rotationEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rotationEvent);
        if (Resolve(function) is not { } target)
        {
            return new RotationStepResult(RotationStepStatus.Unreachable, null, "not configured");
        }

        var body = Serialize(rotationEvent);
        var attempts = Math.Max(1, _options.MaxAttempts);
        var reached = false;
        RotationStepResult last = new(RotationStepStatus.Unreachable);
        for (var attempt = 1; attempt <= attempts; attempt++)
        {
            if (attempt > 1)
            {
                // Network backoff runs on the real clock, like the timeouts it sits between.
                var delay = _options.CallRetryDelay * Math.Pow(2, attempt - 2);
                await Task.Delay(delay, cancellationToken);
            }

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_options.StepTimeout);
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, target.Url) { Content = new ByteArrayContent(body) };
                request.Content.Headers.ContentType = JsonMediaType;
                if (!string.IsNullOrEmpty(target.Key))
                {
                    request.Headers.TryAddWithoutValidation(RotationFunctionOptions.FunctionKeyHeader, target.Key);
                }

                using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
                reached = true;
                var status = (int)response.StatusCode;
                if (status is >= 200 and < 300)
                {
                    return new RotationStepResult(RotationStepStatus.Succeeded, status);
                }

                last = new RotationStepResult(RotationStepStatus.Failed, status, response.ReasonPhrase is { Length: <= 64 } reason ? reason : null);
                if (!IsTransient(response.StatusCode))
                {
                    return last;
                }
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // The function may still be running: another call could run the step twice at once.
                return new RotationStepResult(RotationStepStatus.TimedOut, null, string.Create(CultureInfo.InvariantCulture, $"no answer within {_options.StepTimeout.TotalSeconds:0.###} s"));
            }
            catch (HttpRequestException error) when (error.HttpRequestError is HttpRequestError.NameResolutionError or HttpRequestError.ConnectionError or HttpRequestError.SecureConnectionError or HttpRequestError.ProxyTunnelError)
            {
                last = new RotationStepResult(reached ? RotationStepStatus.Failed : RotationStepStatus.Unreachable, null, error.HttpRequestError.ToString());
            }
            catch (HttpRequestException error)
            {
                // The function was reached but the exchange broke (the connection dropped mid-answer).
                reached = true;
                last = new RotationStepResult(RotationStepStatus.Failed, null, error.HttpRequestError.ToString());
            }
        }

        return last;
    }

    public void Dispose() => _client.Dispose();

    /// <summary>The URL and key a function name stands for, or null when it may not be called.</summary>
    internal Target? Resolve(string function)
    {
        if (string.IsNullOrWhiteSpace(function))
        {
            return null;
        }

        if (_mapped.TryGetValue(function.Trim(), out var mapped))
        {
            return Uri.TryCreate(mapped.Url, UriKind.Absolute, out var mappedUrl) && IsAllowed(mappedUrl)
                ? new Target(mappedUrl, mapped.Key)
                : null;
        }

        return _options.AllowDirectUrls && Uri.TryCreate(function, UriKind.Absolute, out var url) && IsAllowed(url) && url.UserInfo.Length == 0
            ? new Target(url, null)
            : null;
    }

    private bool IsAllowed(Uri url) =>
        url.Scheme == Uri.UriSchemeHttps
        || (url.Scheme == Uri.UriSchemeHttp && _options.AllowHttpLoopback && url.IsLoopback);

    private static bool IsTransient(HttpStatusCode status) =>
        status is HttpStatusCode.TooManyRequests or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout;

    /// <summary>Exactly the three members, in the order AWS sends them.</summary>
    private static byte[] Serialize(RotationEvent rotationEvent)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("SecretId", rotationEvent.SecretId);
            writer.WriteString("ClientRequestToken", rotationEvent.ClientRequestToken);
            writer.WriteString("Step", rotationEvent.Step);
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    internal sealed record Target(Uri Url, string? Key);
}
