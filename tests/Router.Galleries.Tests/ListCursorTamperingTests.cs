using System.Buffers.Binary;
using Router.Abstractions;
using Router.Galleries.Query;
using Xunit;

namespace Router.Galleries.Tests;

/// <summary>Issue 12, item 7: a cursor whose score was tampered to NaN or infinity is BAD_PARAM page, not a listing that pages nowhere.</summary>
public sealed class ListCursorTamperingTests
{
    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void A_score_that_is_not_finite_is_refused(double score)
    {
        Span<byte> bytes = stackalloc byte[17];
        bytes[0] = (byte)ListOrder.ConfidenceDescending;
        BinaryPrimitives.WriteInt64LittleEndian(bytes[1..], 42);
        BinaryPrimitives.WriteDoubleLittleEndian(bytes[9..], score);
        var page = Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var e = Assert.Throws<RouterException>(() => ListCursor.Decode(page, ListOrder.ConfidenceDescending));
        Assert.Equal((ErrorCodes.BadParam, "page"), (e.Code, e.Param));
        Assert.Equal(new ListCursor(ListOrder.ConfidenceDescending, 42, 0.5), ListCursor.Decode(new ListCursor(ListOrder.ConfidenceDescending, 42, 0.5).Encode(), ListOrder.ConfidenceDescending));
    }
}
