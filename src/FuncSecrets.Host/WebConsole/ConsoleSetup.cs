using FuncSecrets.Core;
using FuncSecrets.Core.Audit;
using FuncSecrets.Core.Audit.Lookup;
using FuncSecrets.Core.Auth;
using FuncSecrets.Host.Protocol;
using FuncSecrets.Host.Protocol.Auth;
using FuncSecrets.Host.Protocol.CloudTrail;

namespace FuncSecrets.Host.WebConsole;

/// <summary>
/// The web console (issue 16) and the audit read it needs: the embedded pages at <c>/console</c>
/// (<c>FuncSecrets:Console:Enabled</c>) and CloudTrail's <c>LookupEvents</c> over the audit trail,
/// which is an API of its own and stays on when the console is off.
/// </summary>
public static class ConsoleSetup
{
    public static void Add(IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(ConsoleOptions.SectionName).Get<ConsoleOptions>() ?? new ConsoleOptions();
        services.AddSingleton(options);
        services.AddSingleton(sp => new ConsoleAssets(sp.GetRequiredService<ServiceOptions>().Region));
        services.AddSingleton<ConsoleEndpoint>();

        services.AddSingleton<IAuditReader>(sp => new AuditStoreReader(sp.GetRequiredService<IAuditStore>()));
        services.AddSingleton<LookupEventsHandler>();
        services.AddSingleton(sp =>
        {
            // The same keys and checks as the Secrets Manager door, but signed for CloudTrail.
            var auth = sp.GetRequiredService<AuthOptions>();
            IRequestAuthenticator authenticator = auth.Enabled
                ? new SigV4Authenticator(
                    new SigV4Verifier(sp.GetRequiredService<AccessKeyStore>(), sp.GetRequiredService<ServiceOptions>().Region, sp.GetRequiredService<TimeProvider>(), CloudTrailFrontDoor.SigningName),
                    ForwardedHostOptions.From(auth))
                : new NoAuthentication();
            return ActivatorUtilities.CreateInstance<CloudTrailFrontDoor>(sp, authenticator);
        });
    }
}
