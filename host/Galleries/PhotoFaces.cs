using Router.Abstractions;

namespace Router.Host.Galleries;

/// <summary>
/// The faces of an uploaded photo, ready to search or enroll: detected with embeddings (so each has
/// a detection id), biggest first, which is how CompreFace and DeepStack order them and which face
/// counts when one is needed.
/// </summary>
public sealed class PhotoFaces(InProcessGalleryClient client)
{
    public async Task<IReadOnlyList<DetectFace>> DetectAsync(byte[] image, CancellationToken ct, FaceFeatures extra = FaceFeatures.None)
    {
        var found = await client.DetectAsync(image, FaceFeatures.Facen | extra, returnFacen: true, ct).ConfigureAwait(false);
        return found.Faces.Where(f => f.Id is not null && f.Facen is not null)
            .OrderByDescending(f => (long)f.BBox.Width * f.BBox.Height).ToList();
    }

    /// <summary>The photo's biggest face; NO_FACE when it has none.</summary>
    public async Task<DetectFace> BiggestAsync(byte[] image, CancellationToken ct, string param = "photo")
    {
        var faces = await DetectAsync(image, ct).ConfigureAwait(false);
        return faces.Count > 0 ? faces[0] : throw new RouterException(ErrorCodes.NoFace, "no face found in the image", param);
    }

    /// <summary>The photo's face that overlaps <paramref name="box"/> most (the face an operator picked); NO_FACE when none overlaps it by a third.</summary>
    public async Task<DetectFace> AtAsync(byte[] image, BBox box, CancellationToken ct, string param = "box")
    {
        var best = (await DetectAsync(image, ct).ConfigureAwait(false)).MaxBy(f => f.BBox.IoU(box));
        return best is not null && best.BBox.IoU(box) >= 1.0 / 3 ? best
            : throw new RouterException(ErrorCodes.NoFace, $"no face of the image is at {box.Left},{box.Top},{box.Right},{box.Bottom}", param);
    }
}
