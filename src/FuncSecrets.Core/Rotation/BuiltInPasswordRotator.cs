using System.Security.Cryptography;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using FuncSecrets.Core.Errors;
using FuncSecrets.Core.Model;
using FuncSecrets.Core.Services;

namespace FuncSecrets.Core.Rotation;

/// <summary>
/// The rotation function of secrets whose <c>RotationLambdaARN</c> is
/// <see cref="RotationOptions.BuiltInPasswordFunction"/>, run in process with the same four steps
/// as AWS's single-user template: createSecret puts a new value on the AWSPENDING version
/// (a new password with GetRandomPassword's rules; for a JSON object secret only its
/// <c>password</c> field changes), setSecret has no external system to change, testSecret reads
/// the new value back, finishSecret moves AWSCURRENT to it and removes AWSPENDING.
/// </summary>
internal sealed class BuiltInPasswordRotator(OperationDependencies deps, BuiltInPasswordOptions options)
{
    private const string PasswordField = "password";

    private static readonly JsonSerializerOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly SecretChangeWriter _writer = new(deps);
    private readonly VersionValues _values = new(deps);

    public async Task<RotationStepResult> RunStepAsync(RotationRun run, string step, CancellationToken cancellationToken)
    {
        try
        {
            switch (step)
            {
                case RotationSteps.CreateSecret:
                    await CreateAsync(run, cancellationToken);
                    break;
                case RotationSteps.TestSecret:
                    await TestAsync(run, cancellationToken);
                    break;
                case RotationSteps.FinishSecret:
                    await FinishAsync(run, cancellationToken);
                    break;
            }

            return RotationStepResult.Success;
        }
        catch (AwsException error)
        {
            // The code only: an AwsException never carries a value, but the step's log line
            // needs no more than the kind of failure.
            return new RotationStepResult(RotationStepStatus.Failed, null, error.Code);
        }
    }

    private async Task CreateAsync(RotationRun run, CancellationToken cancellationToken)
    {
        var record = await deps.Store.GetAsync(run.Name, cancellationToken) ?? throw AwsErrors.SecretNotFound();
        if (await deps.Store.GetVersionAsync(run.Name, run.Token, cancellationToken) is { Value: not null })
        {
            // An earlier attempt with this token already created the value: the step is done.
            return;
        }

        var current = record.CurrentVersionId is { } id ? await _values.OpenAsync(record, id, cancellationToken) : null;
        var payload = NewValue(current, options.ToRules());
        try
        {
            var value = new NewValue(deps, run.Token, payload);
            await _writer.UpdateAsync(run.Reference, RotationRun.SystemContext("PutSecretValue"), async (secret, ct) =>
            {
                var now = deps.Now();
                secret.FillPendingVersion(await value.PrepareAsync(secret, now, ct), now);
            }, cancellationToken);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(payload);
            if (current is not null)
            {
                CryptographicOperations.ZeroMemory(current);
            }
        }
    }

    private async Task TestAsync(RotationRun run, CancellationToken cancellationToken)
    {
        var record = await deps.Store.GetAsync(run.Name, cancellationToken) ?? throw AwsErrors.SecretNotFound();
        var value = await _values.OpenAsync(record, run.Token, cancellationToken);
        CryptographicOperations.ZeroMemory(value);
    }

    private async Task FinishAsync(RotationRun run, CancellationToken cancellationToken) =>
        await _writer.UpdateAsync(run.Reference, RotationRun.SystemContext("UpdateSecretVersionStage"), secret => secret.FinishRotation(run.Token, deps.Now()), cancellationToken);

    /// <summary>
    /// The rotated value: a JSON object keeps every member but <c>password</c>; anything else
    /// (plain text, no value yet) becomes the new password itself. Binary secrets are refused.
    /// </summary>
    internal static byte[] NewValue(byte[]? currentPayload, PasswordRules rules)
    {
        var password = PasswordGenerator.Generate(rules);
        if (currentPayload is null)
        {
            return SecretPayload.FromString(password);
        }

        var (text, _) = SecretPayload.Read(currentPayload);
        if (text is null)
        {
            throw AwsErrors.InvalidRequest("The built-in rotator rotates SecretString values only.");
        }

        JsonNode? node;
        try
        {
            node = JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            node = null;
        }

        if (node is JsonObject json)
        {
            json[PasswordField] = password;
            return SecretPayload.FromString(json.ToJsonString(JsonOptions));
        }

        return SecretPayload.FromString(password);
    }
}
