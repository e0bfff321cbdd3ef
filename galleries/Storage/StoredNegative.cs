namespace Router.Galleries.Storage;

/// <summary>
/// A negative example as the store keeps it: the face an operator said is not <c>Subject</c>,
/// its exact embedding, where it came from (<c>detection:…</c>, <c>face:…</c>) and when (unix ms).
/// </summary>
public sealed record StoredNegative(string Gallery, long Id, string Subject, byte[] Vector, string Source, long CreatedMs);
