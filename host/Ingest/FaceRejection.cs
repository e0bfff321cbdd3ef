namespace Router.Host.Ingest;

/// <summary>Why a face of a track was not offered as a best shot; a track that never posts is counted under its last one.</summary>
public enum FaceRejection
{
    None,
    TooSmall,
    TooLarge,
    OutsideRoi,
    LowQuality,
}
