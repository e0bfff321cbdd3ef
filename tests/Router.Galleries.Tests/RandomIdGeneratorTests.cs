using Router.Galleries;
using Xunit;

namespace Router.Galleries.Tests;

public sealed class RandomIdGeneratorTests
{
    [Fact]
    public void Ids_are_positive_and_exact_as_JSON_doubles()
    {
        var ids = new RandomIdGenerator();
        var seen = new HashSet<long>();
        for (var i = 0; i < 100_000; i++)
        {
            var id = ids.NextId();
            Assert.InRange(id, 1, (1L << 53) - 1);
            Assert.Equal(id, (long)(double)id); // what a JavaScript client reads back
            seen.Add(id);
        }
        Assert.True(seen.Count > 99_990);
    }
}
