using Router.Abstractions;
using Xunit;

namespace Router.Host.Tests.Evaluation;

public sealed class MatchCalibrationTests
{
    // 100,000 different-person pairs: the floor is 1e-5.
    private static readonly MatchCalibration Table = new(new CalibrationFile
    {
        Source = "test", Date = "2026-12-01", Pipeline = "test", GenuinePairs = 100, ImpostorPairs = 100_000,
        Points = [new(0.3, 1e-2, 0.99), new(0.4, 1e-4, 0.9), new(0.5, 0, 0.8)],
    });

    [Theory]
    [InlineData(0.30, 1e-2)]
    [InlineData(0.35, 1e-3)]    // halfway on a log scale between 1e-2 and 1e-4
    [InlineData(0.40, 1e-4)]
    [InlineData(0.45, 3.2e-5)]  // between 1e-4 and the floor 1e-5 (no impostor measured at 0.5): 10^-4.5, two digits
    [InlineData(0.60, 1e-5)]    // above every measured impostor: the floor, an upper bound, never 0
    [InlineData(0.10, 1e-2)]    // below the table: its first row
    public void FalseMatchRateInterpolatesOnALogScale(double score, double far) =>
        Assert.Equal(far, Table.FalseMatchRate(score), 12);

    [Fact]
    public void ThresholdForAFar()
    {
        Assert.Equal(0.4, Table.ThresholdFor(1e-3));
        Assert.Equal(0.4, Table.ThresholdFor(1e-4));
        Assert.Equal(0.5, Table.ThresholdFor(1e-6));
        Assert.Equal(0.85, Table.TrueMatchRate(0.45), 9);
        Assert.Equal(1.0, Table.FalseMatchRate(double.NaN));
    }

    [Fact]
    public void ShippedCalibrationIsMonotoneAndMatchesTheDefaults()
    {
        var c = MatchCalibration.Default;
        Assert.True(c.File.ImpostorPairs >= 1_000_000, $"the shipped calibration has {c.File.ImpostorPairs} different-person pairs");
        var previous = double.MaxValue;
        for (var s = 0.0; s <= 1.0; s += 0.005)
        {
            var far = c.FalseMatchRate(s);
            Assert.True(far <= previous, $"FAR rises at {s}");
            previous = far;
        }
        // Each default threshold was chosen for a FAR: the shipped table must still say so.
        Assert.InRange(c.FalseMatchRate(MatchThresholds.Verification), 1e-5, 1.5e-4);
        Assert.InRange(c.FalseMatchRate(MatchThresholds.Identification), c.FarFloor, 1.5e-5);
        Assert.InRange(c.FalseMatchRate(MatchThresholds.Grouping), c.FarFloor, 1e-4);
    }
}
