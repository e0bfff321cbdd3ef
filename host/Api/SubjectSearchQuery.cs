using Router.Abstractions;

namespace Router.Host.Api;

/// <summary>
/// The query string of a per-subject search: <c>looks_like</c> (required for a search),
/// <c>threshold</c> (default <see cref="MatchThresholds.Identification"/>), <c>limit</c> (subjects,
/// default 10), and the id/meta/subject filters of a face listing. Null when there is no
/// <c>looks_like</c> and no other key: a plain listing of subjects.
/// </summary>
internal sealed record SubjectSearchQuery(FaceSource Query, double Threshold, int Limit, List<Filter> Filters)
{
    public static SubjectSearchQuery? Parse(IQueryCollection query)
    {
        if (query.Count == 0) return null;
        var looksLike = query["looks_like"].ToString();
        if (looksLike.Length == 0) throw RouterException.BadParam("looks_like", null, "a subject search needs looks_like=detection:<id> or face:<gallery>/<id>");
        double threshold = query["threshold"].ToString() is { Length: > 0 } t ? QueryValues.Double("threshold", t) : MatchThresholds.Identification;
        int limit = query["limit"].ToString() is { Length: > 0 } l ? QueryValues.Int("limit", l) : SubjectEndpoints.DefaultMatches;
        // The face listing's parser knows the filters; the search's own keys are taken out first.
        var rest = new QueryCollection(query.Where(p => p.Key is not ("looks_like" or "threshold" or "limit"))
            .ToDictionary(p => p.Key, p => p.Value));
        var listing = FaceListQuery.Parse(rest);
        if (listing.Sort is not null || listing.Page is not null)
            throw RouterException.BadParam(listing.Sort is not null ? "sort" : "page", listing.Sort ?? listing.Page, "a subject search is ordered by score and not paged");
        return new SubjectSearchQuery(FaceSource.Parse(looksLike, "looks_like"), threshold, limit, listing.Filters);
    }
}
