using System.Buffers.Binary;
using Router.Abstractions;

namespace Router.Galleries.Query;

/// <summary>
/// The opaque next_page value: a keyset position (the last face's id, and for -confidence its
/// exact score) plus the order it belongs to. Because it names a position and not an offset,
/// paging stays correct while faces are added or removed between pages.
/// </summary>
public readonly record struct ListCursor(ListOrder Order, long Id, double Confidence)
{
    public string Encode()
    {
        Span<byte> bytes = stackalloc byte[17];
        bytes[0] = (byte)Order;
        BinaryPrimitives.WriteInt64LittleEndian(bytes[1..], Id);
        BinaryPrimitives.WriteDoubleLittleEndian(bytes[9..], Confidence);
        return Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    public static ListCursor Decode(string page, ListOrder expected)
    {
        try
        {
            var text = page.Replace('-', '+').Replace('_', '/');
            text = text.PadRight(text.Length + (4 - text.Length % 4) % 4, '=');
            var bytes = Convert.FromBase64String(text);
            if (bytes.Length == 17 && bytes[0] <= (byte)ListOrder.ConfidenceDescending)
            {
                var cursor = new ListCursor((ListOrder)bytes[0], BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(1)),
                    BinaryPrimitives.ReadDoubleLittleEndian(bytes.AsSpan(9)));
                // A tampered score (NaN, ±infinity) would compare false with every face and page nowhere.
                if (!double.IsFinite(cursor.Confidence))
                    throw RouterException.BadParam("page", page, "not a next_page value returned by a listing (its score is not a finite number)");
                if (cursor.Order != expected)
                    throw RouterException.BadParam("page", page, "the page cursor belongs to another sort order");
                return cursor;
            }
        }
        catch (FormatException)
        {
        }
        throw RouterException.BadParam("page", page, "not a next_page value returned by a listing");
    }
}
