using FuncSecrets.Core.Errors;
using FuncSecrets.Core.Model;
using FuncSecrets.Core.Replication;
using FuncSecrets.Core.Services;

namespace FuncSecrets.Core.Operations;

public sealed class DeleteSecretRequest
{
    public string? SecretId { get; init; }
    public long? RecoveryWindowInDays { get; init; }
    public bool? ForceDeleteWithoutRecovery { get; init; }
}

public sealed class DeleteSecretResponse
{
    public string? ARN { get; init; }
    public string? Name { get; init; }
    public DateTimeOffset? DeletionDate { get; init; }
}

/// <summary>
/// DeleteSecret: schedules the deletion after a recovery window of 7 to 30 days (30 by
/// default), or removes the secret at once with ForceDeleteWithoutRecovery. A scheduled
/// secret refuses reads and changes until RestoreSecret or the purge.
/// </summary>
public sealed class DeleteSecretHandler(OperationDependencies deps) : IOperation<DeleteSecretRequest, DeleteSecretResponse>
{
    /// <summary>The due-time index the purge job reads.</summary>
    public const string PurgeIndex = "purge";

    private readonly SecretAccess _access = new(deps);

    public async Task<DeleteSecretResponse> ExecuteAsync(DeleteSecretRequest request, RequestContext context, CancellationToken cancellationToken)
    {
        var reference = _access.Locator.Parse(request.SecretId);
        var force = request.ForceDeleteWithoutRecovery == true;

        // AWS checks the window's range before the combination with a forced delete: a window of
        // 0 with ForceDeleteWithoutRecovery gets the range error (AWS output quoted in getmoto/moto#6461).
        var days = request.RecoveryWindowInDays ?? Limits.DefaultRecoveryWindowDays;
        if (days is < Limits.MinRecoveryWindowDays or > Limits.MaxRecoveryWindowDays)
        {
            throw AwsErrors.RecoveryWindowOutOfRange();
        }

        if (force && request.RecoveryWindowInDays is not null)
        {
            throw AwsErrors.RecoveryWindowWithForceDelete();
        }

        if (force)
        {
            return await ForceDeleteAsync(reference, context, cancellationToken);
        }

        var now = deps.Now();
        var purgeDate = now.AddDays(days);
        var indexed = false;
        var record = await new SecretChangeWriter(deps).UpdateAsync(reference, context, async (secret, ct) =>
        {
            secret.EnsureNoReplicas(reference.Shown);
            secret.ScheduleDeletion(purgeDate, now);
            if (!indexed)
            {
                // The index entry goes before the change it announces, so the purge job can
                // never miss a deleted secret.
                await deps.DueIndex.AddDueAsync(PurgeIndex, purgeDate, secret.Name, ct);
                indexed = true;
            }
        }, cancellationToken);

        return new DeleteSecretResponse { ARN = record.Arn(deps.Options), Name = record.Name, DeletionDate = purgeDate };
    }

    /// <summary>
    /// Removes every row now. AWS answers a forced delete of a name that has no secret as if it
    /// had deleted one, so an idempotent cleanup never fails.
    /// </summary>
    private async Task<DeleteSecretResponse> ForceDeleteAsync(SecretLocator.SecretReference reference, RequestContext context, CancellationToken cancellationToken)
    {
        var victim = await _access.FindAuthorizedAsync(reference, context.Operation, context, cancellationToken);
        if (victim is null)
        {
            var arn = SecretArn.Format(deps.Options, reference.Name, reference.Suffix ?? SecretArn.NewSuffix());
            return new DeleteSecretResponse { ARN = arn, Name = reference.Name, DeletionDate = deps.Now() };
        }

        ReplicaGuard.RefuseIfReplica(victim);
        ReplicaGuard.RefuseDeletingPrimary(victim, reference.Shown);
        await deps.Store.DeleteAsync(victim.Name, cancellationToken);
        return new DeleteSecretResponse { ARN = victim.Arn(deps.Options), Name = victim.Name, DeletionDate = deps.Now() };
    }
}
