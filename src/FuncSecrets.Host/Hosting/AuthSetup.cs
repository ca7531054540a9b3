using FuncSecrets.Core;
using FuncSecrets.Core.Auth;
using FuncSecrets.Core.Services;
using FuncSecrets.Host.Protocol;
using FuncSecrets.Host.Protocol.Auth;

namespace FuncSecrets.Host.Hosting;

/// <summary>
/// Authentication (SigV4) and authorization (identity and resource policies) from
/// <c>FuncSecrets:Auth</c>. A secure default: with no access key configured the app refuses to
/// start, except in the Development environment, where it uses the well-known pair
/// <c>test</c>/<c>test</c> that local AWS emulators use (and says so loudly).
/// </summary>
public static class AuthSetup
{
    public const string DevelopmentAccessKeyId = "test";
    public const string DevelopmentSecretAccessKey = "test";

    public static void Add(IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        var options = configuration.GetSection(AuthOptions.SectionName).Get<AuthOptions>() ?? new AuthOptions();
        services.AddSingleton(options);
        if (!options.Enabled)
        {
            services.AddSingleton<IRequestAuthenticator, NoAuthentication>();
            services.AddSingleton<IAuthorizer, AllowAllAuthorizer>();
            services.AddSingleton(new StartupWarning("Authentication is switched off (FuncSecrets:Auth:Enabled=false): every caller has full access."));
            return;
        }

        if (options.AccessKeys.Count == 0)
        {
            if (!environment.IsDevelopment())
            {
                throw new InvalidOperationException(
                    "No access keys are configured (FuncSecrets:Auth:AccessKeys). Configure at least one key pair; " +
                    "the development pair test/test is used only when ASPNETCORE_ENVIRONMENT=Development.");
            }

            options.AccessKeys.Add(new AccessKeyOptions { AccessKeyId = DevelopmentAccessKeyId, SecretAccessKey = DevelopmentSecretAccessKey });
            services.AddSingleton(new StartupWarning("DEVELOPMENT ONLY: no access keys configured, so the public key pair test/test has full access."));
        }

        else if (options.AccessKeys.Any(k => k.AccessKeyId == DevelopmentAccessKeyId && k.SecretAccessKey == DevelopmentSecretAccessKey))
        {
            // The sample settings carry this pair for `func start`; it must never reach a real deployment.
            services.AddSingleton(new StartupWarning("DEVELOPMENT ONLY: the public key pair test/test is configured. Replace it before exposing this service."));
        }

        services.AddSingleton(sp => new AccessKeyStore(options, sp.GetRequiredService<ServiceOptions>()));
        services.AddSingleton(sp => new SigV4Verifier(sp.GetRequiredService<AccessKeyStore>(), sp.GetRequiredService<ServiceOptions>().Region, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IRequestAuthenticator>(sp => new SigV4Authenticator(sp.GetRequiredService<SigV4Verifier>(), ForwardedHostOptions.From(options)));
        services.AddSingleton<IAuthorizer>(sp => new PolicyEvaluator(sp.GetRequiredService<AccessKeyStore>()));
    }
}

/// <summary>A warning logged once the app has started (configuration that is unsafe outside development).</summary>
public sealed record StartupWarning(string Text);
