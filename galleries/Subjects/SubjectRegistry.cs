using System.Numerics.Tensors;
using Router.Abstractions;

namespace Router.Galleries.Subjects;

/// <summary>
/// The subjects of one gallery in memory: names, how many faces each has, and their negative
/// examples with exact vectors. Negatives are few (one per operator correction), so vetoing a
/// subject is a scan over that subject's negatives only. Mutated under the engine's write gate;
/// the lock makes reads beside writes safe.
/// </summary>
public sealed class SubjectRegistry
{
    private sealed class State
    {
        public int Faces;
        public List<NegativeVector> Negatives = [];
    }

    private readonly Dictionary<string, State> _subjects = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public bool Contains(string subject) { lock (_lock) return _subjects.ContainsKey(subject); }

    /// <summary>False when it existed already.</summary>
    public bool Ensure(string subject)
    {
        lock (_lock) return _subjects.TryAdd(subject, new State());
    }

    public void AddFace(string subject, int count = 1)
    {
        lock (_lock) Get(subject).Faces += count;
    }

    public void RemoveFace(string subject)
    {
        lock (_lock)
            if (_subjects.TryGetValue(subject, out var s)) s.Faces--;
    }

    /// <summary>Moves everything of <paramref name="from"/> into <paramref name="to"/> (created if missing).</summary>
    public void Merge(string from, string to)
    {
        lock (_lock)
        {
            if (!_subjects.Remove(from, out var source)) return;
            var target = Get(to);
            target.Faces += source.Faces;
            target.Negatives = [.. target.Negatives, .. source.Negatives];
        }
    }

    public void Remove(string subject)
    {
        lock (_lock) _subjects.Remove(subject);
    }

    public void AddNegative(string subject, NegativeVector negative)
    {
        lock (_lock)
        {
            var s = Get(subject);
            // Copy on write: readers hold the old list without the lock.
            s.Negatives = [.. s.Negatives, negative];
        }
    }

    public bool RemoveNegative(string subject, long id)
    {
        lock (_lock)
        {
            if (!_subjects.TryGetValue(subject, out var s) || !s.Negatives.Any(n => n.Id == id)) return false;
            s.Negatives = s.Negatives.Where(n => n.Id != id).ToList();
            return true;
        }
    }

    public IReadOnlyList<NegativeVector> NegativesOf(string subject)
    {
        lock (_lock) return _subjects.TryGetValue(subject, out var s) ? s.Negatives : [];
    }

    /// <summary>The subject owning the negative <paramref name="id"/>, if any.</summary>
    public string? OwnerOfNegative(long id)
    {
        lock (_lock)
            foreach (var (name, s) in _subjects)
                if (s.Negatives.Any(n => n.Id == id)) return name;
        return null;
    }

    public SubjectInfo? Info(string subject)
    {
        lock (_lock) return _subjects.TryGetValue(subject, out var s) ? new SubjectInfo(subject, s.Faces, s.Negatives.Count) : null;
    }

    public IReadOnlyList<SubjectInfo> List()
    {
        lock (_lock)
            return _subjects.OrderBy(p => p.Key, StringComparer.Ordinal)
                .Select(p => new SubjectInfo(p.Key, p.Value.Faces, p.Value.Negatives.Count)).ToList();
    }

    /// <summary>The highest cosine similarity of <paramref name="query"/> to the subject's negatives, or null without any.</summary>
    public double? ClosestNegative(string subject, ReadOnlySpan<float> query)
    {
        var negatives = NegativesOf(subject);
        if (negatives.Count == 0) return null;
        double best = double.NegativeInfinity;
        foreach (var n in negatives) best = Math.Max(best, TensorPrimitives.CosineSimilarity(query, n.Vector));
        return best;
    }

    private State Get(string subject)
    {
        if (!_subjects.TryGetValue(subject, out var s)) _subjects[subject] = s = new State();
        return s;
    }
}
