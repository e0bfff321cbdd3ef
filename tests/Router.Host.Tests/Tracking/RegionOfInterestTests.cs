using Router.Abstractions;
using Router.Host.Tracking;
using Xunit;

namespace Router.Host.Tests.Tracking;

public class RegionOfInterestTests
{
    [Fact]
    public void Rectangle_in_FindFace_form()
    {
        var roi = RegionOfInterest.ParseOrNull("640x360+100+50")!;
        Assert.True(roi.Contains(new BBox(100, 50, 200, 150)));      // centre 150,100
        Assert.False(roi.Contains(new BBox(0, 0, 120, 120)));        // centre 60,60
        Assert.False(roi.Contains(new BBox(700, 380, 800, 480)));    // centre 750,430: right of 740
    }

    [Fact]
    public void Polygon_triangle()
    {
        var roi = RegionOfInterest.ParseOrNull("0,0 1000,0 0,1000")!;
        Assert.Equal(3, roi.Corners);
        Assert.True(roi.Contains(100, 100));
        Assert.False(roi.Contains(600, 600));
    }

    [Theory]
    [InlineData("10x")]
    [InlineData("0x10+1+1")]
    [InlineData("1,2 3,4")]
    [InlineData("a,b c,d e,f")]
    public void Bad_roi_is_bad_param(string text)
    {
        var e = Assert.Throws<RouterException>(() => RegionOfInterest.ParseOrNull(text));
        Assert.Equal(ErrorCodes.BadParam, e.Code);
        Assert.Equal("roi", e.Param);
    }

    [Fact]
    public void Empty_roi_is_the_whole_frame() => Assert.Null(RegionOfInterest.ParseOrNull(""));
}
