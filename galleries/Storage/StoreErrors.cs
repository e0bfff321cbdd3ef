using Router.Abstractions;

namespace Router.Galleries.Storage;

/// <summary>Turns a database failure into STORAGE_ERROR without leaking driver details to callers.</summary>
internal static class StoreErrors
{
    public static async Task<T> Guard<T>(Func<Task<T>> action)
    {
        try
        {
            return await action().ConfigureAwait(false);
        }
        catch (Exception e) when (e is not RouterException and not OperationCanceledException)
        {
            throw new GalleryException(ErrorCodes.StorageError, "the face store failed: " + e.Message, inner: e);
        }
    }
}
