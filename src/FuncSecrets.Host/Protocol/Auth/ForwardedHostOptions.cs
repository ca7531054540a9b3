using FuncSecrets.Core.Auth;

namespace FuncSecrets.Host.Protocol.Auth;

/// <summary>
/// Where the host name the client signed is found. Behind the Functions host (custom handler
/// forwarding, YARP since azure-functions-host#11035) this app sees <c>Host: 127.0.0.1:port</c>
/// and the original host in <c>X-Forwarded-Host</c>, appended by the forwarder. Trusting that
/// header from arbitrary callers would let a request signed for another endpoint be replayed
/// here, so by default it is believed only from a loopback peer.
/// </summary>
public sealed class ForwardedHostOptions
{
    /// <summary>True: always use the forwarded host; false: never; null: only from a loopback address.</summary>
    public bool? TrustForwardedHost { get; init; }

    /// <summary>
    /// Headers to read, first found wins. Add <c>X-Original-Host</c> behind Azure Application
    /// Gateway (which moves the client's host there) together with <see cref="TrustForwardedHost"/> = true.
    /// </summary>
    public IReadOnlyList<string> HostHeaders { get; init; } = ["X-Forwarded-Host"];

    public static ForwardedHostOptions From(AuthOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new ForwardedHostOptions { TrustForwardedHost = options.TrustForwardedHost };
    }
}
