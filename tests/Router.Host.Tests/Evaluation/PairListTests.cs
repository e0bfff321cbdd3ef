using Router.Abstractions;
using Router.Host.Evaluation;
using Xunit;

namespace Router.Host.Tests.Evaluation;

public sealed class PairListTests
{
    [Fact]
    public void LfwListWithOneSet()
    {
        var parsed = PairList.Parse(["2", "Abel_Pacheco\t1\t4", "Akhmed_Zakayev\t1\t3", "Abdel_Madi_Shabneh\t1\tDean_Barker\t1", "Abdel_Madi_Shabneh\t1\tGiancarlo_Fisichella\t1"], "pairs.txt");
        Assert.Empty(parsed.Problems);
        Assert.Equal(1, parsed.Folds);
        Assert.Equal(4, parsed.Pairs.Count);
        Assert.Equal(new VerificationPair(Path.Combine("Abel_Pacheco", "Abel_Pacheco_0001.jpg"), Path.Combine("Abel_Pacheco", "Abel_Pacheco_0004.jpg"), true, 0, 2), parsed.Pairs[0]);
        Assert.Equal(new VerificationPair(Path.Combine("Abdel_Madi_Shabneh", "Abdel_Madi_Shabneh_0001.jpg"), Path.Combine("Dean_Barker", "Dean_Barker_0001.jpg"), false, 0, 4), parsed.Pairs[2]);
    }

    [Fact]
    public void LfwListWithFolds()
    {
        // "2 1": two folds of one same-person and one different-person pair each.
        var parsed = PairList.Parse(["2 1", "A 1 2", "A 1 B 1", "C 1 2", "C 2 D 1"], "pairs.txt");
        Assert.Empty(parsed.Problems);
        Assert.Equal(2, parsed.Folds);
        Assert.Equal([0, 0, 1, 1], parsed.Pairs.Select(p => p.Fold));
        Assert.Equal([true, false, true, false], parsed.Pairs.Select(p => p.Same));
    }

    [Fact]
    public void BadLinesAreReportedWithTheirNumberAndTheRestIsRead()
    {
        var parsed = PairList.Parse(["1", "A 1 x", "A 1 2", "A 0 B 1", "A 1 B 2 C"], "dev.txt");
        Assert.Single(parsed.Pairs);
        Assert.Equal([2, 4, 5], parsed.Problems.Select(p => p.Line));
        Assert.All(parsed.Problems, p => Assert.Equal((ErrorCodes.BadParam, "dev.txt"), (p.Code, p.File)));
        Assert.Contains("'A 1 x'", parsed.Problems[0].Reason);
    }

    [Fact]
    public void BadHeaderIsOneProblem()
    {
        var parsed = PairList.Parse(["pairs", "A 1 2"], "p.txt");
        Assert.Empty(parsed.Pairs);
        Assert.Equal(1, Assert.Single(parsed.Problems).Line);
    }

    [Fact]
    public void CsvWithAndWithoutHeader()
    {
        var withHeader = PairList.Parse(["file_x,file_y,same", "a/1.jpg,a/2.jpg,1", "a/1.jpg, b/1.jpg ,false", "a/1.jpg,b/2.jpg,maybe", "a/1.jpg,b/2.jpg"], "p.csv");
        Assert.Equal([true, false], withHeader.Pairs.Select(p => p.Same));
        Assert.Equal("b/1.jpg", withHeader.Pairs[1].FileB);
        Assert.Equal([4, 5], withHeader.Problems.Select(p => p.Line));
        var bare = PairList.Parse(["x.jpg,y.jpg,yes"], "p.csv");
        Assert.Equal(new VerificationPair("x.jpg", "y.jpg", true, 0, 1), Assert.Single(bare.Pairs));
    }

    [Fact]
    public void EmptyList()
    {
        var parsed = PairList.Parse(["", "  "], "p.txt");
        Assert.Empty(parsed.Pairs);
        Assert.Single(parsed.Problems);
    }
}
