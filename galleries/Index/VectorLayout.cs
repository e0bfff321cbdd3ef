namespace Router.Galleries.Index;

/// <summary>The embedding size every gallery holds (the face model's 512-d output).</summary>
public static class VectorLayout
{
    public const int Dimension = 512;
    public const int BytesPerVector = Dimension * sizeof(float);
}
