namespace Router.Host.Pipeline;

/// <summary>
/// Where the video pipeline hands every face event: the one seam between cameras and the
/// router (plugins). Called from each camera's processing loop, one event at a time per
/// camera, from several cameras at once: implementations must be thread-safe. A slow sink
/// slows that camera's processing (frames are then dropped and counted); an exception counts
/// the face in faces_failed and the camera goes on. The event's <see cref="FaceEvent.Pixels"/> are
/// lent for the call only: the pipeline disposes them when it returns, so a sink that reads them
/// later takes a holder of its own (<see cref="BestShotPixels.Keep"/>) during the call and disposes it.
/// </summary>
public interface IFaceEventSink
{
    ValueTask PublishAsync(FaceEvent faceEvent, CancellationToken ct);
}
