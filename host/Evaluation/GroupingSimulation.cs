using System.Numerics.Tensors;

namespace Router.Host.Evaluation;

/// <summary>
/// What the Visitors plugin would make of the photos at a threshold: photos arrive one by one
/// (in the folder's order); each is compared with the first photo of every visitor so far and
/// joins the best one at or above the threshold, else it starts a new visitor. Counts the people
/// split into several visitors and the visitors that mix people.
/// </summary>
public sealed record GroupingPoint(double Threshold, int People, int PeopleWithSeveralPhotos, int PeopleSplit, int Visitors, int VisitorsMixingPeople, int PhotosInWrongVisitor);

public static class GroupingSimulation
{
    public static IReadOnlyList<GroupingPoint> Run((string Person, PhotoEmbedding Photo)[] photos, IReadOnlyList<double> thresholds) =>
        thresholds.AsParallel().AsOrdered().Select(t => Run(photos, t)).ToList();

    public static GroupingPoint Run((string Person, PhotoEmbedding Photo)[] photos, double threshold)
    {
        var visitors = new List<float[]>();
        var visitorPeople = new List<Dictionary<string, int>>();
        var visitorsOfPerson = new Dictionary<string, HashSet<int>>(StringComparer.Ordinal);
        var photosOfPerson = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (person, photo) in photos)
        {
            var e = photo.Embedding!;
            int best = -1; var bestScore = float.NegativeInfinity;
            for (var v = 0; v < visitors.Count; v++)
            {
                var s = TensorPrimitives.Dot(e, visitors[v]);
                if (s > bestScore) { bestScore = s; best = v; }
            }
            if (best < 0 || bestScore < threshold)
            {
                visitors.Add(e);
                visitorPeople.Add(new Dictionary<string, int>(StringComparer.Ordinal));
                best = visitors.Count - 1;
            }
            visitorPeople[best][person] = visitorPeople[best].GetValueOrDefault(person) + 1;
            if (!visitorsOfPerson.TryGetValue(person, out var set)) visitorsOfPerson[person] = set = [];
            set.Add(best);
            photosOfPerson[person] = photosOfPerson.GetValueOrDefault(person) + 1;
        }
        var several = photosOfPerson.Count(p => p.Value > 1);
        var split = visitorsOfPerson.Count(p => p.Value.Count > 1);
        var mixing = visitorPeople.Count(v => v.Count > 1);
        // Photos outside their visitor's majority person.
        var wrong = visitorPeople.Sum(v => v.Values.Sum() - v.Values.Max());
        return new GroupingPoint(threshold, photosOfPerson.Count, several, split, visitors.Count, mixing, wrong);
    }
}
