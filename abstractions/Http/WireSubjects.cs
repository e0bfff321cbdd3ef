namespace Router.Abstractions;

/// <summary>The body of <c>GET /v1/galleries/{name}/subjects</c>: <c>{"subjects":[{"name","faces","negatives"}]}</c>.</summary>
public sealed record WireSubjects(IReadOnlyList<SubjectInfo> Subjects);

/// <summary>
/// The body of a per-subject search (<c>GET /v1/galleries/{name}/subjects?looks_like=…</c>):
/// <c>{"matches":[{"subject","face","confidence","far","negative_confidence"}]}</c>, best first.
/// </summary>
public sealed record WireSubjectMatches(IReadOnlyList<SubjectMatch> Matches);

/// <summary>The body of <c>GET …/subjects/{subject}/negatives</c>.</summary>
public sealed record WireNegatives(IReadOnlyList<NegativeExample> Negatives);

/// <summary>The body of <c>DELETE …/subjects/{subject}</c>: how many faces went with it.</summary>
public sealed record WireSubjectDeleted(string Subject, int DeletedFaces);
