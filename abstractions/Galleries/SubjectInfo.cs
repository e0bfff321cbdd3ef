namespace Router.Abstractions;

/// <summary>
/// A person of a gallery: a name, the faces enrolled as that person and the negative examples
/// operators gave ("this is not them", <see cref="NegativeExample"/>).
/// </summary>
public sealed record SubjectInfo(string Name, int Faces, int Negatives);
