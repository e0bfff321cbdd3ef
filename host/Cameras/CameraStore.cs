using System.Text.Json;
using Router.Abstractions;

namespace Router.Host.Cameras;

/// <summary>
/// The cameras added over the API, persisted in one JSON file of the data folder. Every change
/// rewrites the file atomically (temp file, fsync, rename), so a crash leaves the old or the new
/// list, never a torn one.
/// </summary>
public sealed class CameraStore : ICameraStore
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };
    private readonly string _path;
    private readonly object _lock = new();
    private Dictionary<string, CameraRecord>? _records;

    public CameraStore(string path) => _path = Path.GetFullPath(path);

    public string FilePath => _path;

    public string Description => _path;

    Task ICameraStore.PutAsync(CameraRecord record, CancellationToken ct)
    {
        Put(record);
        return Task.CompletedTask;
    }

    Task<bool> ICameraStore.DeleteAsync(string id, CancellationToken ct) => Task.FromResult(Delete(id));

    public IReadOnlyList<CameraRecord> All()
    {
        lock (_lock) return Load().Values.OrderBy(r => r.Id, StringComparer.Ordinal).ToList();
    }

    public CameraRecord? Get(string id)
    {
        lock (_lock) return Load().GetValueOrDefault(id);
    }

    public void Put(CameraRecord record)
    {
        lock (_lock)
        {
            var next = new Dictionary<string, CameraRecord>(Load(), StringComparer.Ordinal) { [record.Id] = record };
            Save(next);
            _records = next;
        }
    }

    public bool Delete(string id)
    {
        lock (_lock)
        {
            var current = Load();
            if (!current.ContainsKey(id)) return false;
            var next = new Dictionary<string, CameraRecord>(current, StringComparer.Ordinal);
            next.Remove(id);
            Save(next);
            _records = next;
            return true;
        }
    }

    private Dictionary<string, CameraRecord> Load()
    {
        if (_records is not null) return _records;
        if (!File.Exists(_path)) return _records = new(StringComparer.Ordinal);
        try
        {
            var list = JsonSerializer.Deserialize<List<CameraRecord>>(File.ReadAllText(_path), Json) ?? [];
            return _records = list.ToDictionary(r => r.Id, StringComparer.Ordinal);
        }
        catch (JsonException e)
        {
            // Never overwrite a file we cannot read: the operator must look at it.
            throw new RouterException(ErrorCodes.StorageError, $"camera store {_path} is unreadable: {e.Message}");
        }
    }

    private void Save(Dictionary<string, CameraRecord> records)
    {
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
            var tmp = _path + ".tmp";
            using (var file = new FileStream(tmp, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                JsonSerializer.Serialize(file, records.Values.OrderBy(r => r.Id, StringComparer.Ordinal).ToList(), Json);
                file.Flush(flushToDisk: true);
            }
            File.Move(tmp, _path, overwrite: true);
        }
        catch (IOException e)
        {
            throw new RouterException(ErrorCodes.StorageError, $"cannot write the camera store {_path}: {e.Message}");
        }
    }
}
