using System.Drawing;
using Router.Abstractions;

namespace Router.Models.Faces;

/// <summary>
/// A cheap head-pose estimate from the 68 landmarks (microseconds, no model), for the video
/// pipeline's per-frame quality. Yaw: how far the nose tip sits from the eyes' midpoint,
/// relative to the eye distance (half the eye distance ≈ 90°); pitch: where the nose tip
/// sits between the eye line and the mouth (≈ 0.55 of the way on a frontal face). Signs
/// follow fr_pose: positive yaw = image-left... see <see cref="Estimate"/>.
/// </summary>
public static class LandmarkPose
{
    /// <summary>Where the nose tip sits between eyes and mouth on a level, frontal face.</summary>
    public const float FrontalNoseRatio = 0.55f;

    public static HeadPose Estimate(ReadOnlySpan<PointF> landmarks)
    {
        Span<PointF> k = stackalloc PointF[3];
        FaceAligner.KeyPoints(landmarks, k);
        PointF le = k[0], re = k[1], nose = k[2];
        float ex = re.X - le.X, ey = re.Y - le.Y;
        var eyeDistance = MathF.Max(1e-3f, MathF.Sqrt(ex * ex + ey * ey));
        var roll = MathF.Atan2(ey, ex) * 180 / MathF.PI;
        // Work in the roll-corrected frame: u along the eye line, v down the face.
        float ux = ex / eyeDistance, uy = ey / eyeDistance;
        float mx = (le.X + re.X) / 2, my = (le.Y + re.Y) / 2;
        float nx = nose.X - mx, ny = nose.Y - my;
        var noseU = nx * ux + ny * uy;
        var noseV = -nx * uy + ny * ux;
        var mouth = new PointF((landmarks[62].X + landmarks[66].X) / 2, (landmarks[62].Y + landmarks[66].Y) / 2);
        float qx = mouth.X - mx, qy = mouth.Y - my;
        var mouthV = MathF.Max(1e-3f, -qx * uy + qy * ux);
        var yaw = MathF.Asin(Math.Clamp(2 * noseU / eyeDistance, -1f, 1f)) * 180 / MathF.PI;
        var pitch = MathF.Asin(Math.Clamp((FrontalNoseRatio - noseV / mouthV) * 2, -1f, 1f)) * 180 / MathF.PI;
        return new HeadPose(YawSign * yaw, pitch, roll);
    }

    /// <summary>fr_pose's yaw sign relative to "nose toward image-right" (set from the sample photos).</summary>
    internal const float YawSign = -1f;
}
