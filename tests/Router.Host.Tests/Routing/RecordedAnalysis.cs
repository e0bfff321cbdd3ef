using Router.Abstractions;
using Router.Models.Imaging;

namespace Router.Host.Tests.Routing;

/// <summary>
/// One <see cref="RecordingFaceAnalyzer.Analyze"/> call: the features asked, the image it ran on
/// (tests compare it by reference with the frame they lent) and whether the caller gave the
/// landmarks (false: the landmark model would have run).
/// </summary>
public sealed record RecordedAnalysis(FaceFeatures Features, BgrImage Image, bool LandmarksGiven);
