namespace Router.Galleries.Index;

/// <summary>A face that passed the scan: its id, approximate (int8) score, exact score once re-ranked, and entry.</summary>
public struct Candidate
{
    public long Id;
    public float Approx;
    public double Exact;
    public FaceEntry Entry;
}
