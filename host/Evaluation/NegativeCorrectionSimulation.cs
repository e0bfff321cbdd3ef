using System.Numerics.Tensors;

namespace Router.Host.Evaluation;

/// <summary>
/// One margin of the "this is not X" simulation: of the stranger's other photos that matched X
/// (similarity ≥ the loose threshold) how many the correction stopped, and of X's own photos that
/// matched X (≥ the identification threshold) how many it lost.
/// </summary>
public sealed record NegativePoint(double Margin, int FalseMatches, int FalseMatchesStopped, int TrueMatches, int TrueMatchesLost);

/// <summary>
/// What one operator correction does, for every person X with several photos: X is enrolled from
/// their first photo; the photo of another person most similar to it (the false match an operator
/// would see first) is stored as a negative example of X; then the stranger's other photos and X's
/// other photos are searched again. A photo is not reported as X when its similarity to the
/// negative is at least its similarity to X minus the margin (<see cref="Abstractions.MatchThresholds.NegativeMargin"/>).
/// </summary>
public static class NegativeCorrectionSimulation
{
    public static IReadOnlyList<NegativePoint> Run((string Person, PhotoEmbedding Photo)[] photos, double falseMatchThreshold,
        double trueMatchThreshold, IReadOnlyList<double> margins)
    {
        var people = photos.GroupBy(p => p.Person, StringComparer.Ordinal)
            .Select(g => g.Select(p => p.Photo.Embedding!).ToArray()).Where(g => g.Length > 1).ToArray();
        // Per person X: (score to X, score to the negative) of the stranger's other photos and of X's other photos.
        var cases = people.AsParallel().AsOrdered().Select((x, i) =>
        {
            var enrolled = x[0];
            int worstPerson = -1, worstPhoto = -1;
            float worst = float.NegativeInfinity;
            for (int q = 0; q < people.Length; q++)
            {
                if (q == i) continue;
                for (int k = 0; k < people[q].Length; k++)
                {
                    var s = TensorPrimitives.Dot(people[q][k], enrolled);
                    if (s > worst) { worst = s; worstPerson = q; worstPhoto = k; }
                }
            }
            var negative = people[worstPerson][worstPhoto];
            var stranger = people[worstPerson].Where((_, k) => k != worstPhoto)
                .Select(o => (ToX: TensorPrimitives.Dot(o, enrolled), ToNegative: TensorPrimitives.Dot(o, negative))).ToArray();
            var own = x.Skip(1).Select(o => (ToX: TensorPrimitives.Dot(o, enrolled), ToNegative: TensorPrimitives.Dot(o, negative))).ToArray();
            return (stranger, own);
        }).ToArray();

        return margins.Select(m =>
        {
            int falseMatches = 0, stopped = 0, trueMatches = 0, lost = 0;
            foreach (var (stranger, own) in cases)
            {
                foreach (var (toX, toNegative) in stranger)
                {
                    if (toX < falseMatchThreshold) continue;
                    falseMatches++;
                    if (toNegative >= toX - m) stopped++;
                }
                foreach (var (toX, toNegative) in own)
                {
                    if (toX < trueMatchThreshold) continue;
                    trueMatches++;
                    if (toNegative >= toX - m) lost++;
                }
            }
            return new NegativePoint(m, falseMatches, stopped, trueMatches, lost);
        }).ToList();
    }
}
