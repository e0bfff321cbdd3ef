namespace Router.Models.Faces;

/// <summary>Which landmark-derived points align a face to the embedding model's template.</summary>
public enum AlignmentPoints
{
    /// <summary>Eye centres and nose tip onto the template's first three points (the model vendor's recipe).</summary>
    EyesNose,
    /// <summary>Eye centres, nose tip and both mouth corners onto the whole five-point ArcFace template.</summary>
    FivePoint,
}
