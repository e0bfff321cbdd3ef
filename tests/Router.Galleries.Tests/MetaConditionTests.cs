using Router.Abstractions;
using Router.Galleries.Query;
using Xunit;

namespace Router.Galleries.Tests;

public class MetaConditionTests
{
    private static readonly Dictionary<string, MetaValue> Meta = new()
    {
        ["age"] = 45, ["camera"] = "abc", ["tags"] = new[] { "male", "angry", "vip" },
    };

    private static bool Match(Filter f) => new MetaCondition((MetaFilter)f).Matches(Meta);

    [Fact]
    public void Integers_compare_as_integers_also_when_given_as_text()
    {
        Assert.True(Match(Filters.Meta("age").Gte(45)));
        Assert.False(Match(Filters.Meta("age").Gte(46)));
        Assert.True(Match(Filters.Meta("age").Lte("100")));   // "100" < "45" as text, but 100 > 45 as numbers
        Assert.True(Match(Filters.Meta("age").OneOf("44", "45")));
    }

    [Fact]
    public void Strings_compare_ordinally()
    {
        Assert.True(Match(Filters.Meta("camera").OneOf("abc", "def")));
        Assert.False(Match(Filters.Meta("camera").OneOf("def")));
        Assert.True(Match(Filters.Meta("camera").Gte("abb")));
        Assert.False(Match(Filters.Meta("camera").Lte("abb")));
    }

    [Fact]
    public void Lists_support_oneof_and_subset()
    {
        Assert.True(Match(Filters.Meta("tags").Subset("male", "angry")));
        Assert.False(Match(Filters.Meta("tags").Subset("male", "happy")));
        Assert.True(Match(Filters.Meta("tags").OneOf("happy", "vip")));
        Assert.False(Match(Filters.Meta("tags").OneOf("happy")));
    }

    [Fact]
    public void A_missing_key_does_not_match()
    {
        Assert.False(Match(Filters.Meta("nope").Gte(1)));
    }

    [Theory]
    [InlineData("age", "x")]
    [InlineData("camera", 5)]
    public void Type_mismatch_is_bad_param_with_param_and_value(string key, object value)
    {
        var v = value is int i ? MetaValue.Of(i) : MetaValue.Of((string)value);
        var e = Assert.Throws<RouterException>(() => Match(Filters.Meta(key).Gte(v)));
        Assert.Equal(ErrorCodes.BadParam, e.Code);
        Assert.Equal("meta." + key, e.Param);
        Assert.Equal(value.ToString(), e.Value);
    }

    [Fact]
    public void Range_on_a_list_is_bad_param()
    {
        Assert.Equal("meta.tags", Assert.Throws<RouterException>(() => Match(Filters.Meta("tags").Gte("a"))).Param);
    }
}
