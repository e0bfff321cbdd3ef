using Router.Abstractions;
using Router.Galleries.Query;
using Xunit;

namespace Router.Galleries.Tests;

public class ListCursorTests
{
    [Fact]
    public void Round_trips_order_id_and_exact_confidence()
    {
        var c = new ListCursor(ListOrder.ConfidenceDescending, 123456789012, 0.8123456789012345);
        Assert.Equal(c, ListCursor.Decode(c.Encode(), ListOrder.ConfidenceDescending));
    }

    [Theory]
    [InlineData("garbage!")]
    [InlineData("")]
    [InlineData("AAAA")]
    public void Rejects_foreign_text_as_bad_param(string page)
    {
        var e = Assert.Throws<RouterException>(() => ListCursor.Decode(page, ListOrder.IdAscending));
        Assert.Equal(ErrorCodes.BadParam, e.Code);
        Assert.Equal("page", e.Param);
    }

    [Fact]
    public void Rejects_a_cursor_of_another_order()
    {
        var page = new ListCursor(ListOrder.IdDescending, 5, 0).Encode();
        var e = Assert.Throws<RouterException>(() => ListCursor.Decode(page, ListOrder.IdAscending));
        Assert.Equal("page", e.Param);
    }
}
