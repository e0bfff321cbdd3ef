using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Router.Galleries.Index;

namespace Router.Bench;

/// <summary>
/// `bench search --variants`: candidate first stages side by side on one in-memory gallery,
/// each judged by whether the exact (int8) scan's top faces are among the candidates it
/// keeps (the int8 stage then ranks them as the exact scan does, so that is the recall the
/// two-stage search gets), and by the single-thread time of its kernel over the gallery:
/// sign codes of the raw vector, of 1, 2 or 3 randomized Hadamard rounds, and 4-bit codes
/// (rotated, per-vector scale) scored against the query's int8 codes.
/// </summary>
internal static class FirstStageVariants
{
    private const int Dim = VectorLayout.Dimension;

    public static object Run(int n, Func<long, float[]> face, IReadOnlyList<float[]> queries, IReadOnlyList<bool> strangers, int[] candidateCounts)
    {
        int[] rounds = [0, 1, 2, 3];
        var int8 = new sbyte[(long)n * Dim];
        var scales = new float[n];
        var signs = rounds.Select(_ => new ulong[(long)n * SignCodes.Words]).ToArray();
        var nibbles = new byte[(long)n * Dim / 2];
        var nibbleScales = new float[n];
        Parallel.For(0, n, i =>
        {
            var v = face(i);
            scales[i] = Int8Quantizer.Quantize(v, int8.AsSpan(i * Dim, Dim));
            for (int r = 0; r < rounds.Length; r++) SignCodes.Encode(v, signs[r].AsSpan(i * SignCodes.Words, SignCodes.Words), rounds[r]);
            nibbleScales[i] = FourBit(v, nibbles.AsSpan(i * Dim / 2, Dim / 2));
        });
        int maxC = candidateCounts.Max();
        var names = rounds.Select(r => r == 0 ? "sign, raw coordinates" : $"sign, {r} Hadamard round{(r > 1 ? "s" : "")}").Append("4-bit, 2 Hadamard rounds").ToArray();
        var hits1 = new int[names.Length, candidateCounts.Length];
        var strangerHits1 = new int[names.Length, candidateCounts.Length];
        int strangerCount = strangers.Count(x => x);
        var hits10 = new int[names.Length, candidateCounts.Length];
        var kernelMs = new double[names.Length];
        var scores = new int[n];
        Span<sbyte> q8 = stackalloc sbyte[Dim];
        Span<ulong> qs = stackalloc ulong[SignCodes.Words];
        var qe = new sbyte[Dim / 2];
        var qo = new sbyte[Dim / 2];
        Span<sbyte> r8 = stackalloc sbyte[Dim];
        for (int qi = 0; qi < queries.Count; qi++)
        {
            var query = queries[qi];
            // The exact scan's top 10 by int8 score.
            float qscale = Int8Quantizer.Quantize(query, q8);
            var exact = new PriorityQueue<int, float>();
            for (int i = 0; i < n; i++)
            {
                float s = Int8Dot.Dot(ref int8[(long)i * Dim], ref q8[0], Dim) * scales[i] * qscale;
                if (exact.Count < 10) exact.Enqueue(i, s);
                else if (s > ScoreOfWorst(exact)) { exact.DequeueEnqueue(i, s); }
            }
            var top = new List<(int Face, float Score)>();
            while (exact.TryDequeue(out int f, out float s)) top.Add((f, s));
            top.Reverse(); // best first

            for (int v = 0; v < names.Length; v++)
            {
                var t = Stopwatch.GetTimestamp();
                if (v < rounds.Length)
                {
                    SignCodes.Encode(query, qs, rounds[v]);
                    var codes = signs[v];
                    for (int i = 0; i < n; i++) scores[i] = -SignCodes.Distance(ref codes[(long)i * SignCodes.Words], ref qs[0]);
                }
                else
                {
                    var rotated = query.ToArray();
                    SignCodes.Rotate(rotated, 2);
                    Int8Quantizer.Quantize(rotated, r8);
                    for (int k = 0; k < Dim / 2; k++) { qe[k] = r8[2 * k]; qo[k] = r8[2 * k + 1]; }
                    int offset = 0;
                    for (int k = 0; k < Dim; k++) offset += 8 * r8[k];
                    for (int i = 0; i < n; i++)
                        scores[i] = (int)((NibbleDot(ref nibbles[(long)i * Dim / 2], ref qe[0], ref qo[0]) - offset) * nibbleScales[i]);
                }
                kernelMs[v] += Stopwatch.GetElapsedTime(t).TotalMilliseconds;

                // Rank of each exact top face among the variant's candidates (its maxC best).
                var best = new PriorityQueue<int, int>();
                for (int i = 0; i < n; i++)
                {
                    if (best.Count < maxC) best.Enqueue(i, scores[i]);
                    else if (scores[i] > scores[best.Peek()]) best.DequeueEnqueue(i, scores[i]);
                }
                var order = new List<int>(maxC);
                while (best.TryDequeue(out int f, out _)) order.Add(f);
                order.Reverse();
                var rank = new Dictionary<int, int>(order.Count);
                for (int k = 0; k < order.Count; k++) rank[order[k]] = k;
                for (int c = 0; c < candidateCounts.Length; c++)
                {
                    if (rank.TryGetValue(top[0].Face, out int r1) && r1 < candidateCounts[c]) { hits1[v, c]++; if (strangers[qi]) strangerHits1[v, c]++; }
                    hits10[v, c] += top.Count(x => rank.TryGetValue(x.Face, out int r) && r < candidateCounts[c]);
                }
            }
        }
        var rows = new List<object>();
        for (int v = 0; v < names.Length; v++)
        {
            var byC = new Dictionary<string, object>();
            for (int c = 0; c < candidateCounts.Length; c++)
                byC[candidateCounts[c].ToString(System.Globalization.CultureInfo.InvariantCulture)] = new
                {
                    recall_at_1 = Math.Round((double)hits1[v, c] / queries.Count, 4),
                    recall_at_10 = Math.Round((double)hits10[v, c] / (10.0 * queries.Count), 4),
                    strangers_recall_at_1 = Math.Round((double)strangerHits1[v, c] / Math.Max(1, strangerCount), 4),
                };
            rows.Add(new { variant = names[v], bytes_per_face = v < rounds.Length ? SignCodes.Bytes : Dim / 2, kernel_ms_per_query_one_thread = Math.Round(kernelMs[v] / queries.Count, 2), by_candidates = byC });
            Console.Error.WriteLine($"{names[v],-28} kernel {kernelMs[v] / queries.Count,6:F1} ms/query (1 thread, {n:N0} faces); " +
                string.Join(", ", candidateCounts.Select((c, k) => $"C={c}: r@1 {(double)hits1[v, k] / queries.Count:P1} (strangers {(double)strangerHits1[v, k] / Math.Max(1, strangerCount):P1}) r@10 {(double)hits10[v, k] / (10.0 * queries.Count):P1}")));
        }
        return new { faces = n, queries = queries.Count, strangers = strangerCount, variants = rows };
    }

    private static float ScoreOfWorst(PriorityQueue<int, float> queue)
    {
        queue.TryPeek(out _, out float s);
        return s;
    }

    /// <summary>4-bit codes of the rotated vector: code + 8 in 1..15, even dimensions in the low nibble; returns the scale.</summary>
    private static float FourBit(float[] vector, Span<byte> packed)
    {
        var x = vector.ToArray();
        SignCodes.Rotate(x, 2);
        float max = 0;
        foreach (float f in x) max = Math.Max(max, Math.Abs(f));
        float inv = max == 0 ? 0 : 7f / max;
        for (int k = 0; k < Dim / 2; k++)
        {
            int lo = (int)Math.Clamp(MathF.Round(x[2 * k] * inv), -7, 7) + 8, hi = (int)Math.Clamp(MathF.Round(x[2 * k + 1] * inv), -7, 7) + 8;
            packed[k] = (byte)(lo | hi << 4);
        }
        return max / 7f;
    }

    /// <summary>Σ nibble·q over 512 dimensions with AVX2 (unsigned nibbles × signed query bytes, vpmaddubsw).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int NibbleDot(ref byte packed, ref sbyte even, ref sbyte odd)
    {
        var mask = Vector256.Create((byte)0x0F);
        var ones = Vector256.Create((short)1);
        var acc = Vector256<int>.Zero;
        for (int i = 0; i < Dim / 2; i += 32)
        {
            var b = Vector256.LoadUnsafe(ref packed, (nuint)i);
            var lo = b & mask;
            var hi = Avx2.ShiftRightLogical(b.AsUInt16(), 4).AsByte() & mask;
            var p = Avx2.MultiplyAddAdjacent(lo, Vector256.LoadUnsafe(ref even, (nuint)i)) + Avx2.MultiplyAddAdjacent(hi, Vector256.LoadUnsafe(ref odd, (nuint)i));
            acc += Avx2.MultiplyAddAdjacent(p, ones);
        }
        return Vector256.Sum(acc);
    }
}
