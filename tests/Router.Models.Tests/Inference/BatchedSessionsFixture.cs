using Router.Models.Faces;
using Router.Models.Onnx;

namespace Router.Models.Tests.Inference;

/// <summary>
/// Sessions of the real models loaded twice: as exported (batch fixed at 1) and with the batch
/// axis freed, opened on first use and shared by a test class.
/// </summary>
public sealed class BatchedSessionsFixture : IDisposable
{
    private readonly Dictionary<string, OrtSession> _sessions = [];
    private readonly Lock _gate = new();

    public OrtSession Plain(string file) => Get(file, freeBatchAxis: false);
    public OrtSession Batched(string file) => Get(file, freeBatchAxis: true);

    private OrtSession Get(string file, bool freeBatchAxis)
    {
        lock (_gate)
        {
            var key = file + (freeBatchAxis ? "/batched" : "");
            if (!_sessions.TryGetValue(key, out var s))
                _sessions[key] = s = new OrtSession(Path.Combine(AssetLocator.ModelsDirectory, file), new OrtSessionSettings { FreeBatchAxis = freeBatchAxis });
            return s;
        }
    }

    /// <summary>A deterministic input for <paramref name="session"/> that differs by <paramref name="seed"/>.</summary>
    public static float[] Input(OrtSession session, int seed)
    {
        var input = new float[session.InputLength];
        var rng = new Random(seed);
        for (var i = 0; i < input.Length; i++) input[i] = (float)(rng.NextDouble() * 2 - 1);
        return input;
    }

    public static float[] Direct(OrtSession session, float[] input)
    {
        var output = new float[session.OutputLength];
        session.Run(input, output);
        return output;
    }

    public static void AssertClose(float[] expected, float[] actual, float tolerance = 1e-4f)
    {
        Xunit.Assert.Equal(expected.Length, actual.Length);
        var worst = 0f;
        for (var i = 0; i < expected.Length; i++) worst = MathF.Max(worst, MathF.Abs(expected[i] - actual[i]) / MathF.Max(1f, MathF.Abs(expected[i])));
        Xunit.Assert.True(worst <= tolerance, $"largest difference {worst:G3} over {tolerance:G3}");
    }

    public void Dispose()
    {
        foreach (var s in _sessions.Values) s.Dispose();
    }
}
