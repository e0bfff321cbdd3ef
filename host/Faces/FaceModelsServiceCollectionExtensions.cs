using Microsoft.Extensions.Options;
using Router.Models.Faces;

namespace Router.Host.Faces;

/// <summary>Registers the face models: options from section <c>Models</c>, validated at start-up, and one shared <see cref="IFaceAnalyzer"/>.</summary>
public static class FaceModelsServiceCollectionExtensions
{
    /// <remarks>
    /// Each model is loaded lazily, on its first use (a pipeline that never asks for emotions
    /// never loads the 28 MB expression model); the options are validated when the host starts.
    /// </remarks>
    public static IServiceCollection AddFaceModels(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<FaceModelsOptions>()
            .Bind(configuration.GetSection(FaceModelsOptions.SectionName))
            .Validate(o => o.Problems().Count == 0, "invalid Models configuration")
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<FaceModelsOptions>, FaceModelsOptionsValidator>();
        services.AddSingleton<FaceAnalyzer>(sp => new FaceAnalyzer(
            sp.GetRequiredService<IOptions<FaceModelsOptions>>().Value, sp.GetService<ILogger<FaceAnalyzer>>()));
        services.AddSingleton<IFaceAnalyzer>(sp => sp.GetRequiredService<FaceAnalyzer>());
        return services;
    }

    private sealed class FaceModelsOptionsValidator : IValidateOptions<FaceModelsOptions>
    {
        public ValidateOptionsResult Validate(string? name, FaceModelsOptions options)
        {
            var problems = options.Problems();
            return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
        }
    }
}
