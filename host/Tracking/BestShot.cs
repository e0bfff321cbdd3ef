namespace Router.Host.Tracking;

/// <summary>A best shot that is due to be posted: the track, the chosen face, and whether the track has ended.</summary>
public readonly record struct BestShot(Track Track, BestShotCandidate Candidate, bool TrackEnded);
