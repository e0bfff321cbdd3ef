using Router.Abstractions;

namespace Router.Host.Api;

/// <summary>
/// The query string of <c>GET /v1/galleries/{name}/faces</c> as filters: <c>id.gte/lte/in</c>,
/// <c>meta.KEY.gte/lte/in/subset</c>, <c>subject</c> (repeatable: any of), <c>looks_like</c> + <c>threshold</c>, <c>limit</c>,
/// <c>sort</c>, <c>page</c>, <c>ignore_errors</c>. Unknown keys are BAD_PARAM, so typos do not
/// silently widen a search.
/// </summary>
internal sealed record FaceListQuery(List<Filter> Filters, int Limit, string? Sort, string? Page, bool IgnoreErrors)
{
    /// <summary>For the OpenAPI document; <c>meta.KEY.gte/lte/in/subset</c> (KEY any meta key) are not listed one by one.</summary>
    public static readonly QueryParameterMetadata[] Parameters =
    [
        new("looks_like", Microsoft.OpenApi.JsonSchemaType.String, "detection:<id> or face:<gallery>/<id>: faces like it, most similar first (confidence, far)"),
        new("threshold", Microsoft.OpenApi.JsonSchemaType.Number, "with looks_like: the lowest similarity returned (0..1)"),
        new("limit", Microsoft.OpenApi.JsonSchemaType.Integer, "faces per page (default 1000)"),
        new("sort", Microsoft.OpenApi.JsonSchemaType.String, "id, -id, or -confidence with looks_like"),
        new("page", Microsoft.OpenApi.JsonSchemaType.String, "the cursor of the previous page (next_page)"),
        new("ignore_errors", Microsoft.OpenApi.JsonSchemaType.Boolean, "skip faces whose meta cannot be compared"),
        new("id.gte", Microsoft.OpenApi.JsonSchemaType.Integer, "id at least"),
        new("id.lte", Microsoft.OpenApi.JsonSchemaType.Integer, "id at most"),
        new("id.in", Microsoft.OpenApi.JsonSchemaType.Integer, "id any of", Repeated: true),
        new("subject", Microsoft.OpenApi.JsonSchemaType.String, "subject any of", Repeated: true),
    ];

    public static FaceListQuery Parse(IQueryCollection query)
    {
        var filters = new List<Filter>();
        var subjects = new List<string>();
        int limit = 1000;
        string? sort = null, page = null, looksLike = null;
        double threshold = 0;
        bool ignoreErrors = false;
        foreach (var (key, values) in query)
        {
            foreach (var value in values)
            {
                switch (key)
                {
                    case "limit": limit = QueryValues.Int(key, value); break;
                    case "sort": sort = value; break;
                    case "page": page = value; break;
                    case "ignore_errors": ignoreErrors = QueryValues.Bool(key, value); break;
                    case "looks_like": looksLike = value; break;
                    case "threshold": threshold = QueryValues.Double(key, value); break;
                    case "id.gte": filters.Add(Abstractions.Filters.Id.Gte(QueryValues.Long(key, value))); break;
                    case "id.lte": filters.Add(Abstractions.Filters.Id.Lte(QueryValues.Long(key, value))); break;
                    case "id.in": filters.Add(Abstractions.Filters.Id.OneOf(QueryValues.Long(key, value))); break;
                    case "subject": subjects.Add(value ?? ""); break;
                    default:
                        if (key.StartsWith("meta.", StringComparison.Ordinal) && key.LastIndexOf('.') is var dot and > 5)
                        {
                            var metaKey = key[5..dot];
                            var op = key[(dot + 1)..] switch
                            {
                                "gte" => FilterOp.Gte,
                                "lte" => FilterOp.Lte,
                                "in" => FilterOp.OneOf,
                                "subset" => FilterOp.Subset,
                                _ => throw RouterException.BadParam(key, value, "meta filters are meta.KEY.gte, .lte, .in or .subset"),
                            };
                            filters.Add(new MetaFilter(metaKey, op, [MetaValue.Of(value ?? "")]));
                            break;
                        }
                        throw RouterException.BadParam(key, value, "unknown query parameter");
                }
            }
        }
        // Repeated in/subset values of one key are one filter with several values, as in sfapi.
        var merged = new List<Filter>();
        var idIn = filters.OfType<IdFilter>().Where(f => f.Op == FilterOp.OneOf).SelectMany(f => f.Values).ToArray();
        if (idIn.Length > 0) merged.Add(new IdFilter(FilterOp.OneOf, idIn));
        merged.AddRange(filters.OfType<IdFilter>().Where(f => f.Op != FilterOp.OneOf));
        foreach (var group in filters.OfType<MetaFilter>().GroupBy(f => (f.Key, f.Op)))
        {
            if (group.Key.Op is FilterOp.OneOf or FilterOp.Subset)
                merged.Add(new MetaFilter(group.Key.Key, group.Key.Op, group.SelectMany(f => f.Values).ToArray()));
            else
                merged.AddRange(group);
        }
        // Repeated subject values: faces of any of them.
        if (subjects.Count > 0) merged.Add(new SubjectFilter(subjects));
        if (looksLike is not null)
        {
            merged.Add(FaceSource.Parse(looksLike, "looks_like") switch
            {
                DetectionSource d => new DetectionFilter(d.DetectionId, threshold),
                StoredFaceSource s => new FaceFilter(s.Face, threshold),
                _ => throw RouterException.BadParam("looks_like", looksLike, "expected 'detection:<id>' or 'face:<gallery>/<id>'"),
            });
        }
        return new FaceListQuery(merged, limit, sort, page, ignoreErrors);
    }
}
