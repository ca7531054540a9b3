using FuncSecrets.Core.Model;

namespace FuncSecrets.UnitTests.Model;

public class StagingLabelsTests
{
    [Fact]
    public void Sorted_ReturnsOrdinalOrder()
    {
        Assert.Equal(["AWSCURRENT", "AWSPENDING", "PUT1", "one"], StagingLabels.Sorted(["one", "PUT1", "AWSPENDING", "AWSCURRENT"]));
    }
}
