using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Router.Abstractions;
using Router.Galleries.Query;
using Router.Host.Api;
using Router.Host.Cameras;
using Router.Models.Imaging;
using SharpFuzz;

namespace Router.Fuzz;

/// <summary>
/// One harness per input the outside world controls: <c>images</c> (an upload, through the header
/// check and the decoder, under the API's limits), <c>json</c> (a request body, through the API's
/// body reader into each request type, camera settings included), <c>query</c> (a listing's query
/// string and cursor). A refusal with a Router error code is the expected answer to bad input;
/// any other exception, a hang or a native crash is a finding.
/// </summary>
public static class Program
{
    private static readonly DecodeLimits Limits = new(50_000_000, 256L << 20);

    public static int Main(string[] args)
    {
        Action<Stream> target = args.FirstOrDefault() switch
        {
            "images" => Images,
            "json" => Json,
            "query" => Query,
            _ => null!,
        };
        if (target is null)
        {
            Console.Error.WriteLine("usage: Router.Fuzz images|json|query  (input on stdin, run under afl-fuzz: fuzz/run.sh)");
            return 2;
        }
        // Without AFL (no shared memory), one input from stdin: how findings are replayed.
        if (Environment.GetEnvironmentVariable("__AFL_SHM_ID") is null)
        {
            target(Console.OpenStandardInput());
            return 0;
        }
        Fuzzer.OutOfProcess.Run(target);
        return 0;
    }

    private static byte[] ReadAll(Stream stream)
    {
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }

    private static void Images(Stream input)
    {
        var bytes = ReadAll(input);
        try
        {
            using var decoded = ImageDecoder.Decode(bytes, Limits);
            if (decoded.Image.Width <= 0 || decoded.Image.Height <= 0) throw new InvalidOperationException("decoded an empty image");
        }
        catch (RouterException) { }
    }

    private static readonly IServiceProvider Services = new ServiceCollection()
        .AddOptions()
        .Configure<ApiOptions>(o => o.MaxBodyBytes = 1 << 20)
        .BuildServiceProvider();

    private static void Json(Stream input)
    {
        var bytes = ReadAll(input);
        Bind<FaceAddRequest>(bytes, body => FaceAddRequest.MetaOf(body.Value.Meta));
        Bind<FacePatchRequest>(bytes, body => FaceAddRequest.MetaOf(body.Value.Meta));
        Bind<SubjectRenameRequest>(bytes, _ => { });
        Bind<CameraPut>(bytes, body =>
        {
            if (body.Value.Settings is { } settings) CameraSettingsOverrides.Apply(settings, body.Value.Labels ?? []);
        });
    }

    private static void Bind<T>(byte[] bytes, Action<JsonBody<T>> use) where T : class
    {
        var context = new DefaultHttpContext { RequestServices = Services };
        context.Request.Body = new MemoryStream(bytes);
        context.Request.ContentLength = bytes.Length;
        try
        {
            var body = JsonBody<T>.BindAsync(context, null!).AsTask().GetAwaiter().GetResult();
            if (body is not null) use(body);
        }
        catch (RouterException) { }
    }

    private static void Query(Stream input)
    {
        var text = System.Text.Encoding.UTF8.GetString(ReadAll(input));
        var query = new QueryCollection(QueryHelpers.ParseQuery(text));
        try { _ = FaceListQuery.Parse(query); }
        catch (RouterException) { }
        try { _ = SubjectSearchQuery.Parse(query); }
        catch (RouterException) { }
        foreach (var order in Enum.GetValues<ListOrder>())
        {
            try { _ = ListCursor.Decode(text, order); }
            catch (RouterException) { }
        }
    }
}
