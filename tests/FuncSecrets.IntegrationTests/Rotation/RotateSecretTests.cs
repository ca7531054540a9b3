using System.Text.Json.Nodes;
using FuncSecrets.Core.Audit;
using FuncSecrets.Core.Rotation;
using FuncSecrets.IntegrationTests.Api;
using FuncSecrets.IntegrationTests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace FuncSecrets.IntegrationTests.Rotation;

/// <summary>
/// RotateSecret and CancelRotateSecret over the wire, with a real rotation function (HTTP on
/// loopback, written like AWS's template) calling the API back, over Azurite.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class RotateSecretTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private ApiHarness _api = null!;
    private TestRotationFunction _function = null!;

    public async Task InitializeAsync()
    {
        _api = await ApiHarness.StartAsync(azurite, "rotate", RotationHarness.Settings());
        _function = await TestRotationFunction.StartAsync(_api);
    }

    public async Task DisposeAsync()
    {
        await _function.DisposeAsync();
        await _api.DisposeAsync();
    }

    private RotationRunner Runner => _api.Services.GetRequiredService<RotationRunner>();

    private async Task<string> CreateAsync(string name, string value = "initial-value")
    {
        var created = await _api.OkAsync("CreateSecret", new { Name = name, SecretString = value, ClientRequestToken = ApiHarness.Token() });
        return (string)created["VersionId"]!;
    }

    private static Dictionary<string, List<string>> Stages(JsonObject describe) =>
        describe["VersionIdsToStages"]!.AsObject().ToDictionary(p => p.Key, p => p.Value!.AsArray().Select(s => (string)s!).ToList());

    [Fact]
    public async Task RotateSecret_WithFunction_RunsFourStepsAndMovesCurrent()
    {
        var original = await CreateAsync("rot-ok");
        var token = ApiHarness.Token();

        var answer = await _api.OkAsync("RotateSecret", new { SecretId = "rot-ok", ClientRequestToken = token, RotationLambdaARN = _function.Url, RotationRules = new { AutomaticallyAfterDays = 1 } });
        await Runner.WhenIdleAsync();

        Assert.Equal(["ARN", "Name", "VersionId"], answer.Select(p => p.Key).Order());
        Assert.Equal(token, (string)answer["VersionId"]!);
        var arn = (string)answer["ARN"]!;
        Assert.Equal(
            [(arn, token, "createSecret"), (arn, token, "setSecret"), (arn, token, "testSecret"), (arn, token, "finishSecret")],
            _function.Calls.ToArray());

        var value = await _api.OkAsync("GetSecretValue", new { SecretId = "rot-ok" });
        Assert.Equal(token, (string)value["VersionId"]!);
        Assert.NotEqual("initial-value", (string)value["SecretString"]!);

        var describe = await _api.OkAsync("DescribeSecret", new { SecretId = "rot-ok" });
        var stages = Stages(describe);

        // Issue 11: the completed rotation takes AWSPENDING off the new version (LocalStack's
        // AWS-validated snapshot test_rotate_secret_with_lambda_success).
        Assert.Equal(["AWSCURRENT"], stages[token]);
        Assert.Equal(["AWSPREVIOUS"], stages[original]);
        Assert.True((bool)describe["RotationEnabled"]!);
        Assert.Equal(_function.Url, (string)describe["RotationLambdaARN"]!);
        Assert.Equal("""{"AutomaticallyAfterDays":1}""", describe["RotationRules"]!.ToJsonString());
        Assert.Equal(_api.Time.GetUtcNow().ToUnixTimeSeconds(), (long)(double)describe["LastRotatedDate"]!);

        // Rotated on 2026-01-15: the next window is 2026-01-16, reported at its last second.
        Assert.Equal(new DateTimeOffset(2026, 1, 16, 23, 59, 59, TimeSpan.Zero).ToUnixTimeSeconds(), (long)(double)describe["NextRotationDate"]!);
    }

    [Fact]
    public async Task RotateSecret_WithoutClientRequestToken_ReturnsInvalidParameterBeforeLookup()
    {
        await _api.ErrorAsync("RotateSecret", new { SecretId = "rot-no-such-secret", RotationLambdaARN = _function.Url },
            "InvalidParameterException", "You must provide a ClientRequestToken value. We recommend a UUID-type value.");
    }

    [Fact]
    public async Task RotateSecret_NoFunctionConfigured_ReturnsInvalidRequestAndStoresNothing()
    {
        await CreateAsync("rot-none");

        await _api.ErrorAsync("RotateSecret", new { SecretId = "rot-none", ClientRequestToken = ApiHarness.Token() },
            "InvalidRequestException", "No Lambda rotation function ARN is associated with this secret.");

        var describe = await _api.OkAsync("DescribeSecret", new { SecretId = "rot-none" });
        Assert.False(describe.ContainsKey("RotationEnabled"));
    }

    [Theory]
    [InlineData("arn:aws:lambda:us-east-1:123456789012:function:not-mapped")]
    [InlineData("http://10.1.2.3/rotate")]
    [InlineData("ftp://127.0.0.1/rotate")]
    public async Task RotateSecret_FunctionNotInvokable_ReturnsAccessDeniedAndStoresNothing(string function)
    {
        var name = "rot-denied-" + Math.Abs(function.GetHashCode() % 1000);
        var original = await CreateAsync(name);

        var response = await _api.ErrorAsync("RotateSecret", new { SecretId = name, ClientRequestToken = ApiHarness.Token(), RotationLambdaARN = function, RotationRules = new { AutomaticallyAfterDays = 1 } },
            "AccessDeniedException", "Secrets Manager cannot invoke the specified Lambda function. Ensure that the function policy grants access to the principal secretsmanager.amazonaws.com.");

        Assert.Equal(400, response.Status);
        var describe = await _api.OkAsync("DescribeSecret", new { SecretId = name });
        Assert.False(describe.ContainsKey("RotationEnabled"));
        Assert.False(describe.ContainsKey("RotationLambdaARN"));
        Assert.Equal([original], Stages(describe).Keys);
    }

    [Fact]
    public async Task RotateSecret_FunctionUnreachable_ReturnsAccessDeniedAndRollsBack()
    {
        var original = await CreateAsync("rot-unreachable");
        var nobody = $"http://127.0.0.1:{AzuriteFixture.FreePort()}/rotate";

        await _api.ErrorAsync("RotateSecret", new { SecretId = "rot-unreachable", ClientRequestToken = ApiHarness.Token(), RotationLambdaARN = nobody, RotationRules = new { AutomaticallyAfterDays = 1 } },
            "AccessDeniedException", "Secrets Manager cannot invoke the specified Lambda function. Ensure that the function policy grants access to the principal secretsmanager.amazonaws.com.");

        var describe = await _api.OkAsync("DescribeSecret", new { SecretId = "rot-unreachable" });
        Assert.False(describe.ContainsKey("RotationEnabled"));
        Assert.False(describe.ContainsKey("NextRotationDate"));
        Assert.Equal(new Dictionary<string, List<string>> { [original] = ["AWSCURRENT"] }, Stages(describe));
    }

    [Fact]
    public async Task RotateSecret_MappedArn_CallsTheMappedUrl()
    {
        await using var api = await ApiHarness.StartAsync(azurite, "rotmap", RotationHarness.Settings(new Dictionary<string, string?>
        {
            ["FuncSecrets:Rotation:Functions:0:Arn"] = "arn:aws:lambda:us-east-1:123456789012:function:rotate-app",
            ["FuncSecrets:Rotation:Functions:0:Url"] = _function.Url,
        }));
        await api.OkAsync("CreateSecret", new { Name = "rot-mapped", SecretString = "v1", ClientRequestToken = ApiHarness.Token() });

        // The function calls back into the first harness, where this secret does not exist: the
        // mapping is what is under test, and createSecret is the only step that runs.
        await api.OkAsync("RotateSecret", new { SecretId = "rot-mapped", ClientRequestToken = ApiHarness.Token(), RotationLambdaARN = "arn:aws:lambda:us-east-1:123456789012:function:rotate-app" });
        await api.Services.GetRequiredService<RotationRunner>().WhenIdleAsync();

        Assert.Equal(["createSecret"], _function.Steps);
        var describe = await api.OkAsync("DescribeSecret", new { SecretId = "rot-mapped" });
        Assert.Equal("arn:aws:lambda:us-east-1:123456789012:function:rotate-app", (string)describe["RotationLambdaARN"]!);
    }

    [Fact]
    public async Task RotateSecret_StepFails_LeavesPendingAndResumesWithSameToken()
    {
        var original = await CreateAsync("rot-fail");
        var token = ApiHarness.Token();
        _function.Hook = step => Task.FromResult<int?>(step == "setSecret" ? 500 : null);

        await _api.OkAsync("RotateSecret", new { SecretId = "rot-fail", ClientRequestToken = token, RotationLambdaARN = _function.Url, RotationRules = new { AutomaticallyAfterDays = 7 } });
        await Runner.WhenIdleAsync();

        Assert.Equal(["createSecret", "setSecret"], _function.Steps);
        var stages = Stages(await _api.OkAsync("DescribeSecret", new { SecretId = "rot-fail" }));
        Assert.Equal(["AWSPENDING"], stages[token]);
        Assert.Equal(["AWSCURRENT"], stages[original]);
        var pendingValue = await _api.OkAsync("GetSecretValue", new { SecretId = "rot-fail", VersionStage = "AWSPENDING" });

        // Another rotation is refused while this one is pending.
        await _api.ErrorAsync("RotateSecret", new { SecretId = "rot-fail", ClientRequestToken = ApiHarness.Token() },
            "InvalidRequestException", "Previous rotation request is still in progress.");

        // The function is fixed; the retry comes due an hour later and resumes the same version.
        _function.Hook = null;
        _api.Time.Advance(TimeSpan.FromHours(1));
        var result = await _api.Services.GetRequiredService<Core.Jobs.RotateSecretsJob>().RunOnceAsync(CancellationToken.None);

        Assert.Equal(1, result.Processed);
        var value = await _api.OkAsync("GetSecretValue", new { SecretId = "rot-fail" });
        Assert.Equal(token, (string)value["VersionId"]!);
        Assert.Equal((string)pendingValue["SecretString"]!, (string)value["SecretString"]!);
        Assert.All(_function.Calls, c => Assert.Equal(token, c.Token));

        // The rotation's own events are in the audit trail, as AWS records them in CloudTrail.
        var audit = _api.Services.GetRequiredService<BufferedAuditSink>();
        await audit.FlushAsync();
        var events = new List<AuditRecord>();
        await foreach (var record in audit.ReadAsync(_api.Time.GetUtcNow().AddDays(-1), _api.Time.GetUtcNow().AddDays(1), "rot-fail", CancellationToken.None))
        {
            if (record.EventName.StartsWith("Rotation", StringComparison.Ordinal))
            {
                events.Add(record);
            }
        }

        Assert.Equal(["RotationStarted", "RotationFailed", "RotationStarted", "RotationSucceeded"], events.Select(e => e.EventName));
        Assert.All(events, e => Assert.Equal(token, e.VersionId));
        Assert.Equal("setSecret", events[1].ErrorCode);
        Assert.Equal("setSecret failed: Failed (HTTP 500).", events[1].ErrorMessage);
    }

    [Fact]
    public async Task RotateSecret_StepTimesOut_StopsAndLeavesPending()
    {
        var original = await CreateAsync("rot-timeout");
        var token = ApiHarness.Token();
        var release = new TaskCompletionSource<int?>(TaskCreationOptions.RunContinuationsAsynchronously);
        _function.Hook = step => step == "testSecret" ? release.Task : Task.FromResult<int?>(null);

        try
        {
            await _api.OkAsync("RotateSecret", new { SecretId = "rot-timeout", ClientRequestToken = token, RotationLambdaARN = _function.Url });
            await Runner.WhenIdleAsync();
        }
        finally
        {
            release.SetResult(200);
        }

        // A timed-out step is not called again: the function may still be running it.
        Assert.Equal(["createSecret", "setSecret", "testSecret"], _function.Steps);
        var stages = Stages(await _api.OkAsync("DescribeSecret", new { SecretId = "rot-timeout" }));
        Assert.Equal(["AWSPENDING"], stages[token]);
        Assert.Equal(["AWSCURRENT"], stages[original]);
    }

    [Fact]
    public async Task RotateSecret_TwoConcurrentCalls_OneRotationRuns()
    {
        await CreateAsync("rot-race");
        var first = ApiHarness.Token();
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource<int?>(TaskCreationOptions.RunContinuationsAsynchronously);
        _function.Hook = step =>
        {
            if (step != "createSecret")
            {
                return Task.FromResult<int?>(null);
            }

            entered.TrySetResult();
            return release.Task;
        };

        var rotating = _api.CallAsync("RotateSecret", new { SecretId = "rot-race", ClientRequestToken = first, RotationLambdaARN = _function.Url });
        await entered.Task;

        // While the first call's createSecret runs: another token is refused, the same token is
        // answered as the retry it is, and neither calls the function again.
        await _api.ErrorAsync("RotateSecret", new { SecretId = "rot-race", ClientRequestToken = ApiHarness.Token(), RotationLambdaARN = _function.Url },
            "InvalidRequestException", "Previous rotation request is still in progress.");
        var again = await _api.OkAsync("RotateSecret", new { SecretId = "rot-race", ClientRequestToken = first, RotationLambdaARN = _function.Url });
        Assert.Equal(first, (string)again["VersionId"]!);

        _function.Hook = null;
        release.SetResult(null);
        Assert.Equal(200, (await rotating).Status);
        await Runner.WhenIdleAsync();

        Assert.Equal(["createSecret", "setSecret", "testSecret", "finishSecret"], _function.Steps);
        Assert.Equal(first, (string)(await _api.OkAsync("GetSecretValue", new { SecretId = "rot-race" }))["VersionId"]!);
    }

    [Fact]
    public async Task RotateSecret_AfterSuccess_SameTokenChangesNothing()
    {
        await CreateAsync("rot-retry");
        var token = ApiHarness.Token();
        var request = new { SecretId = "rot-retry", ClientRequestToken = token, RotationLambdaARN = _function.Url };
        await _api.OkAsync("RotateSecret", request);
        await Runner.WhenIdleAsync();

        var again = await _api.OkAsync("RotateSecret", request);
        await Runner.WhenIdleAsync();

        Assert.Equal(token, (string)again["VersionId"]!);
        Assert.Equal(4, _function.Calls.Count);
    }

    [Fact]
    public async Task RotateSecret_SecondRotation_StartsFromTheLastOne()
    {
        await CreateAsync("rot-twice");
        var first = ApiHarness.Token();
        var second = ApiHarness.Token();
        await _api.OkAsync("RotateSecret", new { SecretId = "rot-twice", ClientRequestToken = first, RotationLambdaARN = _function.Url });
        await Runner.WhenIdleAsync();

        // The first rotation completed, so no AWSPENDING is left: not "in progress".
        await _api.OkAsync("RotateSecret", new { SecretId = "rot-twice", ClientRequestToken = second });
        await Runner.WhenIdleAsync();

        var stages = Stages(await _api.OkAsync("DescribeSecret", new { SecretId = "rot-twice" }));
        Assert.Equal(["AWSCURRENT"], stages[second]);
        Assert.Equal(["AWSPREVIOUS"], stages[first]);
    }

    [Fact]
    public async Task RotateSecret_InvalidSchedule_IsRefusedBeforeAnyCall()
    {
        await CreateAsync("rot-schedule");

        await _api.ErrorAsync("RotateSecret", new { SecretId = "rot-schedule", ClientRequestToken = ApiHarness.Token(), RotationLambdaARN = _function.Url, RotationRules = new { AutomaticallyAfterDays = 3, ScheduleExpression = "rate(3 days)" } },
            "InvalidParameterException", "You cannot specify both rotation frequency and schedule expression together.");
        await _api.ErrorAsync("RotateSecret", new { SecretId = "rot-schedule", ClientRequestToken = ApiHarness.Token(), RotationLambdaARN = _function.Url, RotationRules = new { ScheduleExpression = "cron(0 22 * * ? *)", Duration = "4h" } },
            "InvalidParameterException");
        Assert.Empty(_function.Calls);
    }

    [Fact]
    public async Task RotateSecret_ScheduleExpression_ReportsWindowEnd()
    {
        await CreateAsync("rot-cron");

        await _api.OkAsync("RotateSecret", new { SecretId = "rot-cron", ClientRequestToken = ApiHarness.Token(), RotationLambdaARN = _function.Url, RotationRules = new { ScheduleExpression = "cron(0 16 1,15 * ? *)", Duration = "2h" } });
        await Runner.WhenIdleAsync();

        // Rotated 2026-01-15 10:00: the next window opens that day at 16:00, for two hours.
        var describe = await _api.OkAsync("DescribeSecret", new { SecretId = "rot-cron" });
        Assert.Equal("""{"Duration":"2h","ScheduleExpression":"cron(0 16 1,15 * ? *)"}""", describe["RotationRules"]!.ToJsonString());
        Assert.Equal(new DateTimeOffset(2026, 1, 15, 17, 59, 59, TimeSpan.Zero).ToUnixTimeSeconds(), (long)(double)describe["NextRotationDate"]!);
    }
}
