using FuncSecrets.Core.Rotation;

namespace FuncSecrets.UnitTests.Rotation;

public class RotationLeaseTests
{
    [Fact]
    public void Read_FormattedLease_RoundTrips()
    {
        var lease = new RotationLease("token with spaces 0123456789abcdef", DateTimeOffset.FromUnixTimeMilliseconds(1_768_471_200_123), "owner1");

        Assert.Equal(lease, RotationLease.Read(lease.Format()));
    }

    [Fact]
    public void IsActive_UntilExpiry_ThenNot()
    {
        var now = new DateTimeOffset(2026, 1, 15, 10, 0, 0, TimeSpan.Zero);
        var lease = new RotationLease("t", now.AddMinutes(10), "o");

        Assert.True(lease.IsActive(now));
        Assert.False(lease.IsActive(now.AddMinutes(10)));
    }

    [Fact]
    public void Read_BareToken_IsAnExpiredLease()
    {
        var lease = RotationLease.Read("5f0a1b2c-0000-4000-8000-000000000000");

        Assert.NotNull(lease);
        Assert.Equal("5f0a1b2c-0000-4000-8000-000000000000", lease.Value.Token);
        Assert.False(lease.Value.IsActive(DateTimeOffset.UnixEpoch));
        Assert.Null(RotationLease.Read(null));
    }
}
