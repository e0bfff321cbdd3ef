namespace Router.Galleries.Index;

/// <summary>A face that passed the scan: its id, approximate (int8) score, exact score once re-ranked, and entry.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1051", Justification = "a mutable record of the scan's heap, written in place through refs")]
public struct Candidate
{
    public long Id;
    public float Approx;
    public double Exact;
    public FaceEntry Entry;
}
