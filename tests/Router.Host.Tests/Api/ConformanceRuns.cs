using Router.Abstractions;
using Router.Tests.Common.Servers;
using Xunit;

namespace Router.Host.Tests.Api;

public sealed class InProcessClientOnSqlite : GalleryClientConformance
{
    protected override GalleryBackend CreateBackend() => GalleryBackend.Sqlite();
    protected override IGalleryClient CreateClient(ApiTestServer server) => server.InProcessClient;
}

public sealed class HttpClientOnSqlite : GalleryClientConformance
{
    protected override GalleryBackend CreateBackend() => GalleryBackend.Sqlite();
    protected override IGalleryClient CreateClient(ApiTestServer server) => new HttpGalleryClient(server.BaseAddress);
}

[Collection(PostgresCollection.Name)]
public sealed class InProcessClientOnPostgres(PostgresServer postgres) : GalleryClientConformance
{
    protected override GalleryBackend CreateBackend() => GalleryBackend.Postgres(postgres);
    protected override IGalleryClient CreateClient(ApiTestServer server) => server.InProcessClient;
}

[Collection(PostgresCollection.Name)]
public sealed class HttpClientOnPostgres(PostgresServer postgres) : GalleryClientConformance
{
    protected override GalleryBackend CreateBackend() => GalleryBackend.Postgres(postgres);
    protected override IGalleryClient CreateClient(ApiTestServer server) => new HttpGalleryClient(server.BaseAddress);
}
