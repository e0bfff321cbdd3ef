using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Router.Host.Composition;
using Router.Host.Faces;
using Router.Models.Faces;
using Router.Models.Inference;
using Xunit;

namespace Router.Host.Tests.Faces;

/// <summary>
/// Models:Batching as an operator writes it: bound from configuration, refused at start-up when
/// out of range (every problem named), and known to the unknown-key check.
/// </summary>
public sealed class BatchingConfigurationTests
{
    private static ServiceProvider Services(params (string Key, string Value)[] settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)))
            .Build();
        return new ServiceCollection().AddLogging().AddFaceModels(configuration).BuildServiceProvider();
    }

    [Fact]
    public void The_section_binds_and_unset_leaves_the_choice_to_the_provider()
    {
        using var services = Services(("Models:Batching:Enabled", "true"), ("Models:Batching:MaxBatch", "4"), ("Models:Batching:MaxWaitMs", "1.5"));
        var batching = services.GetRequiredService<IOptions<FaceModelsOptions>>().Value.Batching;
        Assert.True(batching.Enabled);
        Assert.Equal(4, batching.MaxBatch);
        Assert.Equal(1.5, batching.MaxWaitMs);
        using var unset = Services();
        Assert.Null(unset.GetRequiredService<IOptions<FaceModelsOptions>>().Value.Batching.Enabled);
    }

    [Fact]
    public void Out_of_range_settings_stop_the_start_naming_each()
    {
        using var services = Services(("Models:Batching:MaxBatch", "0"), ("Models:Batching:QueueWaitMs", "-1"));
        var e = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<FaceModelsOptions>>().Value);
        Assert.Contains(e.Failures, f => f.Contains("Models:Batching:MaxBatch"));
        Assert.Contains(e.Failures, f => f.Contains("Models:Batching:QueueWaitMs"));
    }

    [Fact]
    public void A_misspelt_batching_key_is_named_with_the_right_one()
    {
        var problems = ConfigurationKeyCheck.Problems(new ConfigurationBuilder()
            .AddInMemoryCollection([new KeyValuePair<string, string?>("Models:Batching:MaxBach", "4")]).Build());
        Assert.Contains("did you mean 'Models:Batching:MaxBatch'?", Assert.Single(problems));
        Assert.Equal("Models:Batching", BatchingOptions.SectionName);
    }
}
