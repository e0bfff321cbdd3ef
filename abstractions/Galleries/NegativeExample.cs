namespace Router.Abstractions;

/// <summary>
/// A face an operator marked as NOT <see cref="Subject"/> after a false match. It is kept apart
/// from the gallery's faces (a face search never returns it) and only vetoes the subject: a later
/// face closer to a negative than to the subject's own faces (within <see cref="MatchThresholds.NegativeMargin"/>)
/// is not reported as that subject.
/// </summary>
public sealed record NegativeExample(long Id, string Subject, string Source, DateTimeOffset Created);
