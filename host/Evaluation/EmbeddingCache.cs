using System.Security.Cryptography;
using System.Text;
using Router.Abstractions;

namespace Router.Host.Evaluation;

/// <summary>
/// Embeddings of a photo set on disk, so that a second <c>router eval</c> with other options
/// (pairs, FARs, plot) is quick. One file per pipeline signature (alignment, mirror, face choice,
/// the models' sizes and dates); an entry is reused only while its photo's size and time are unchanged.
/// </summary>
public sealed class EmbeddingCache(string file)
{
    private const int Magic = 0x32564552; // "REV2"

    public string File { get; } = file;

    public static EmbeddingCache For(string directory, string root, string signature)
    {
        var key = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(Path.GetFullPath(root) + "\n" + signature)))[..16].ToLowerInvariant();
        return new EmbeddingCache(Path.Combine(directory, $"embeddings-{key}.bin"));
    }

    public Dictionary<string, PhotoEmbedding> Load(string root)
    {
        var result = new Dictionary<string, PhotoEmbedding>(StringComparer.Ordinal);
        if (!System.IO.File.Exists(File)) return result;
        try
        {
            using var reader = new BinaryReader(System.IO.File.OpenRead(File), Encoding.UTF8);
            if (reader.ReadInt32() != Magic) return result;
            var count = reader.ReadInt32();
            for (var i = 0; i < count; i++)
            {
                var path = reader.ReadString();
                var (length, ticks) = (reader.ReadInt64(), reader.ReadInt64());
                var code = reader.ReadString();
                var reason = reader.ReadString();
                var box = new BBox(reader.ReadInt32(), reader.ReadInt32(), reader.ReadInt32(), reader.ReadInt32());
                var (score, quality, yaw) = (reader.ReadSingle(), reader.ReadSingle(), reader.ReadSingle());
                var dims = reader.ReadInt32();
                float[]? embedding = null;
                if (dims > 0)
                {
                    embedding = new float[dims];
                    for (var d = 0; d < dims; d++) embedding[d] = reader.ReadSingle();
                }
                if (!Unchanged(root, path, length, ticks)) continue;
                result[path] = new PhotoEmbedding(path, code.Length == 0 ? null : code, reason.Length == 0 ? null : reason, box, score, quality, yaw, embedding);
            }
        }
        catch (Exception e) when (e is IOException or EndOfStreamException or FormatException)
        {
            result.Clear(); // a torn or foreign file: embed again
        }
        return result;
    }

    public void Save(string root, IEnumerable<PhotoEmbedding> photos)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(File))!);
        var temp = File + ".tmp";
        using (var writer = new BinaryWriter(System.IO.File.Create(temp), Encoding.UTF8))
        {
            var list = photos.ToList();
            writer.Write(Magic);
            writer.Write(list.Count);
            foreach (var p in list)
            {
                var info = new FileInfo(Path.Combine(root, p.RelativePath));
                writer.Write(p.RelativePath);
                writer.Write(info.Exists ? info.Length : -1);
                writer.Write(info.Exists ? info.LastWriteTimeUtc.Ticks : 0);
                writer.Write(p.ErrorCode ?? "");
                writer.Write(p.Reason ?? "");
                writer.Write(p.Box.Left); writer.Write(p.Box.Top); writer.Write(p.Box.Right); writer.Write(p.Box.Bottom);
                writer.Write(p.DetectionScore); writer.Write(p.Quality); writer.Write(p.Yaw);
                writer.Write(p.Embedding?.Length ?? 0);
                if (p.Embedding != null) foreach (var v in p.Embedding) writer.Write(v);
            }
        }
        System.IO.File.Move(temp, File, overwrite: true);
    }

    private static bool Unchanged(string root, string path, long length, long ticks)
    {
        var info = new FileInfo(Path.Combine(root, path));
        return info.Exists ? info.Length == length && info.LastWriteTimeUtc.Ticks == ticks : length == -1;
    }
}
