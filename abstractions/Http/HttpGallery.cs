using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;

namespace Router.Abstractions;

/// <summary>One gallery of <see cref="HttpGalleryClient"/>: the API's <c>/v1/galleries/{name}</c> routes.</summary>
public sealed class HttpGallery : IGallery
{
    private readonly HttpGalleryClient _client;
    private readonly string _path;

    internal HttpGallery(HttpGalleryClient client, string name)
    {
        _client = client;
        Name = name;
        _path = "v1/galleries/" + Uri.EscapeDataString(name);
    }

    public string Name { get; }

    private HttpClient Http => _client.Http;

    public async Task<ListResponse> ListAsync(IEnumerable<Filter>? filters = null, int limit = 1000, string? sort = null, string? page = null,
        bool ignoreErrors = false, CancellationToken ct = default)
    {
        var q = new List<KeyValuePair<string, string>>();
        foreach (var filter in filters ?? [])
        {
            switch (filter)
            {
                case DetectionFilter f:
                    q.Add(new("looks_like", "detection:" + f.DetectionId));
                    q.Add(new("threshold", f.Threshold.ToString("R", CultureInfo.InvariantCulture)));
                    break;
                case FaceFilter f:
                    q.Add(new("looks_like", $"face:{f.Face.Gallery}/{f.Face.Face}"));
                    q.Add(new("threshold", f.Threshold.ToString("R", CultureInfo.InvariantCulture)));
                    break;
                default:
                    AddFilter(q, filter);
                    break;
            }
        }
        q.Add(new("limit", limit.ToString(CultureInfo.InvariantCulture)));
        if (!string.IsNullOrEmpty(sort)) q.Add(new("sort", sort));
        if (!string.IsNullOrEmpty(page)) q.Add(new("page", page));
        if (ignoreErrors) q.Add(new("ignore_errors", "true"));
        var url = _path + "/faces?" + Query(q);
        using var response = await Http.GetAsync(url, ct).ConfigureAwait(false);
        return await HttpGalleryClient.ReadAsync<ListResponse>(response, ct).ConfigureAwait(false);
    }

    /// <summary>The query parameters of the filters every listing takes (id, meta, subject).</summary>
    private static void AddFilter(List<KeyValuePair<string, string>> q, Filter? filter)
    {
        switch (filter)
        {
            case IdFilter f:
                foreach (var v in f.Values) q.Add(new("id." + OpName(f.Op), v.ToString(CultureInfo.InvariantCulture)));
                break;
            case MetaFilter f:
                foreach (var v in f.Values) q.Add(new($"meta.{f.Key}.{OpName(f.Op)}", v.ToString()));
                break;
            case SubjectFilter f:
                foreach (var v in f.Subjects) q.Add(new("subject", v));
                break;
            default:
                throw RouterException.BadParam("filters", filter?.GetType().Name, "unknown filter");
        }
    }

    private static string Query(List<KeyValuePair<string, string>> q) =>
        string.Join("&", q.Select(p => Uri.EscapeDataString(p.Key) + "=" + Uri.EscapeDataString(p.Value)));

    private static string OpName(FilterOp op) => op switch
    {
        FilterOp.Lte => "lte",
        FilterOp.Gte => "gte",
        FilterOp.OneOf => "in",
        _ => "subset",
    };

    public async Task<Face> AddAsync(long? newId, FaceSource source, IReadOnlyDictionary<string, MetaValue>? meta = null, int regenerateAttempts = 0,
        CancellationToken ct = default, string? subject = null)
    {
        var body = new Dictionary<string, object?> { ["from"] = source.ToString() };
        if (meta is not null) body["meta"] = meta;
        if (subject is not null) body["subject"] = subject;
        if (regenerateAttempts != 0) body["regenerate_attempts"] = regenerateAttempts;
        var url = _path + "/faces" + (newId is { } id ? "/" + id.ToString(CultureInfo.InvariantCulture) : "");
        using var response = await Http.PostAsJsonAsync(url, body, RouterJson.Options, ct).ConfigureAwait(false);
        return await HttpGalleryClient.ReadAsync<Face>(response, ct).ConfigureAwait(false);
    }

    public async Task<Face> GetAsync(long id, CancellationToken ct = default)
    {
        using var response = await Http.GetAsync(FaceUrl(id), ct).ConfigureAwait(false);
        return await HttpGalleryClient.ReadAsync<Face>(response, ct).ConfigureAwait(false);
    }

    public async Task<Face> UpdateAsync(long id, IReadOnlyDictionary<string, MetaValue?> meta, CancellationToken ct = default)
    {
        var content = JsonContent.Create(new Dictionary<string, object> { ["meta"] = meta }, options: RouterJson.Options);
        using var request = new HttpRequestMessage(HttpMethod.Patch, FaceUrl(id)) { Content = content };
        using var response = await Http.SendAsync(request, ct).ConfigureAwait(false);
        return await HttpGalleryClient.ReadAsync<Face>(response, ct).ConfigureAwait(false);
    }

    public async Task DeleteAsync(long id, CancellationToken ct = default)
    {
        using var response = await Http.DeleteAsync(FaceUrl(id), ct).ConfigureAwait(false);
        await HttpGalleryClient.EnsureSuccessAsync(response, ct).ConfigureAwait(false);
    }

    public async Task CreateAsync(CancellationToken ct = default)
    {
        using var response = await Http.PostAsync(_path, null, ct).ConfigureAwait(false);
        await HttpGalleryClient.EnsureSuccessAsync(response, ct).ConfigureAwait(false);
    }

    public async Task DropAsync(CancellationToken ct = default)
    {
        using var response = await Http.DeleteAsync(_path, ct).ConfigureAwait(false);
        await HttpGalleryClient.EnsureSuccessAsync(response, ct).ConfigureAwait(false);
    }

    public async Task<Face> SetSubjectAsync(long id, string? subject, CancellationToken ct = default)
    {
        var content = JsonContent.Create(new Dictionary<string, object?> { ["subject"] = subject }, options: RouterJson.Options);
        using var request = new HttpRequestMessage(HttpMethod.Patch, FaceUrl(id)) { Content = content };
        using var response = await Http.SendAsync(request, ct).ConfigureAwait(false);
        return await HttpGalleryClient.ReadAsync<Face>(response, ct).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<SubjectInfo>> ListSubjectsAsync(CancellationToken ct = default)
    {
        using var response = await Http.GetAsync(_path + "/subjects", ct).ConfigureAwait(false);
        return (await HttpGalleryClient.ReadAsync<WireSubjects>(response, ct).ConfigureAwait(false)).Subjects;
    }

    public async Task<SubjectInfo> CreateSubjectAsync(string subject, CancellationToken ct = default)
    {
        using var response = await Http.PostAsync(SubjectUrl(subject), null, ct).ConfigureAwait(false);
        return await HttpGalleryClient.ReadAsync<SubjectInfo>(response, ct).ConfigureAwait(false);
    }

    public async Task<SubjectInfo> RenameSubjectAsync(string subject, string newName, CancellationToken ct = default)
    {
        var content = JsonContent.Create(new Dictionary<string, object> { ["name"] = newName }, options: RouterJson.Options);
        using var request = new HttpRequestMessage(HttpMethod.Patch, SubjectUrl(subject)) { Content = content };
        using var response = await Http.SendAsync(request, ct).ConfigureAwait(false);
        return await HttpGalleryClient.ReadAsync<SubjectInfo>(response, ct).ConfigureAwait(false);
    }

    public async Task<int> DeleteSubjectAsync(string subject, CancellationToken ct = default)
    {
        using var response = await Http.DeleteAsync(SubjectUrl(subject), ct).ConfigureAwait(false);
        return (await HttpGalleryClient.ReadAsync<WireSubjectDeleted>(response, ct).ConfigureAwait(false)).DeletedFaces;
    }

    public async Task<IReadOnlyList<SubjectMatch>> SearchSubjectsAsync(FaceSource query, double threshold, int limit = 10, IEnumerable<Filter>? filters = null,
        CancellationToken ct = default)
    {
        var q = new List<KeyValuePair<string, string>>
        {
            new("looks_like", query.ToString()),
            new("threshold", threshold.ToString("R", CultureInfo.InvariantCulture)),
            new("limit", limit.ToString(CultureInfo.InvariantCulture)),
        };
        foreach (var filter in filters ?? []) AddFilter(q, filter);
        using var response = await Http.GetAsync(_path + "/subjects?" + Query(q), ct).ConfigureAwait(false);
        return (await HttpGalleryClient.ReadAsync<WireSubjectMatches>(response, ct).ConfigureAwait(false)).Matches;
    }

    public async Task<NegativeExample> AddNegativeAsync(string subject, FaceSource source, CancellationToken ct = default)
    {
        var body = new Dictionary<string, object> { ["from"] = source.ToString() };
        using var response = await Http.PostAsJsonAsync(SubjectUrl(subject) + "/negatives", body, RouterJson.Options, ct).ConfigureAwait(false);
        return await HttpGalleryClient.ReadAsync<NegativeExample>(response, ct).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<NegativeExample>> ListNegativesAsync(string subject, CancellationToken ct = default)
    {
        using var response = await Http.GetAsync(SubjectUrl(subject) + "/negatives", ct).ConfigureAwait(false);
        return (await HttpGalleryClient.ReadAsync<WireNegatives>(response, ct).ConfigureAwait(false)).Negatives;
    }

    public async Task DeleteNegativeAsync(string subject, long negativeId, CancellationToken ct = default)
    {
        using var response = await Http.DeleteAsync(SubjectUrl(subject) + "/negatives/" + negativeId.ToString(CultureInfo.InvariantCulture), ct).ConfigureAwait(false);
        await HttpGalleryClient.EnsureSuccessAsync(response, ct).ConfigureAwait(false);
    }

    private string SubjectUrl(string subject) => _path + "/subjects/" + Uri.EscapeDataString(subject);

    private string FaceUrl(long id) => _path + "/faces/" + id.ToString(CultureInfo.InvariantCulture);
}
