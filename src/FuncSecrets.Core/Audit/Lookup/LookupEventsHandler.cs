using System.Globalization;
using FuncSecrets.Core.Auth;
using FuncSecrets.Core.Operations;
using FuncSecrets.Core.Services;

namespace FuncSecrets.Core.Audit.Lookup;

/// <summary>
/// CloudTrail's <c>LookupEvents</c> over this service's own audit trail: the events of the last
/// 90 days, newest first, at most 50 a page, filtered by at most one lookup attribute (CloudTrail
/// allows one). Needs <c>cloudtrail:LookupEvents</c> on <c>*</c>: like CloudTrail, the action has no
/// resource-level permissions, so whoever may call it may read the whole trail.
/// </summary>
public sealed class LookupEventsHandler(IAuditReader reader, IAuthorizer authorizer, ServiceOptions options, TimeProvider time)
    : IOperation<LookupEventsRequest, LookupEventsResponse>
{
    public const string Action = "cloudtrail:LookupEvents";
    public const int MaxPageSize = 50;

    /// <summary>CloudTrail's lookup window.</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromDays(90);

    private const string TokenScope = "LookupEvents";

    public async Task<LookupEventsResponse> ExecuteAsync(LookupEventsRequest request, RequestContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var matches = LookupFilter.From(request.LookupAttributes);
        var pageSize = request.MaxResults ?? MaxPageSize;
        if (pageSize is < 1 or > MaxPageSize)
        {
            throw CloudTrailErrors.InvalidMaxResults();
        }

        var now = time.GetUtcNow();
        var from = request.StartTime ?? now - Retention;
        var to = request.EndTime ?? now;
        if (from > to)
        {
            throw CloudTrailErrors.InvalidTimeRange();
        }

        if (request.EventCategory is { } category && !string.Equals(category, "insight", StringComparison.Ordinal))
        {
            throw CloudTrailErrors.InvalidEventCategory();
        }

        var after = request.NextToken is null ? null : DecodePosition(request.NextToken);
        authorizer.Authorize(new AuthorizationRequest(context.Caller, Action, "*", null, null, context.SourceIp));

        // This trail holds API calls only: an Insights lookup finds nothing, as on a trail without Insights.
        var events = new List<TrailEvent>();
        if (request.EventCategory is not null)
        {
            return new LookupEventsResponse { Events = events };
        }

        // Older than the window is gone from CloudTrail's lookup; later than now cannot exist yet.
        from = from < now - Retention ? now - Retention : from;
        to = to > now ? now : to;
        AuditRecord? last = null;
        var query = new AuditQuery(from, to, matches, pageSize + 1, after);
        await foreach (var record in reader.ReadNewestFirstAsync(query, cancellationToken))
        {
            if (events.Count == pageSize)
            {
                // One more than a page exists: the next page starts after the last one returned.
                return new LookupEventsResponse { Events = events, NextToken = EncodePosition(last!) };
            }

            events.Add(TrailEvents.From(record, options));
            last = record;
        }

        return new LookupEventsResponse { Events = events };
    }

    private static string EncodePosition(AuditRecord record) =>
        PageToken.Encode(TokenScope, record.EventTime.UtcTicks.ToString(CultureInfo.InvariantCulture) + " " + record.RequestId);

    private static AuditPosition DecodePosition(string token)
    {
        var position = PageToken.Decode(TokenScope, token);
        var space = position.IndexOf(' ', StringComparison.Ordinal);
        if (space <= 0
            || !long.TryParse(position.AsSpan(0, space), NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            || ticks > DateTimeOffset.MaxValue.UtcTicks)
        {
            throw Errors.AwsErrors.InvalidNextToken();
        }

        return new AuditPosition(new DateTimeOffset(ticks, TimeSpan.Zero), position[(space + 1)..]);
    }
}
