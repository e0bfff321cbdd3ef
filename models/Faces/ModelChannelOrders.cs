namespace Router.Models.Faces;

/// <summary>
/// The colour order each colour model is fed. The defaults are what measured best on the 22
/// sample faces (tests/Router.Models.Tests/ChannelOrderTests.cs re-measures them); they are
/// settable only so that measurement can try the alternatives.
/// </summary>
public sealed record ModelChannelOrders
{
    public ChannelOrder Detector { get; init; } = ChannelOrder.Bgr;
    public ChannelOrder Embedding { get; init; } = ChannelOrder.Rgb;
    public ChannelOrder Gender { get; init; } = ChannelOrder.Bgr;
    public ChannelOrder Age { get; init; } = ChannelOrder.Bgr;
    public ChannelOrder Expression { get; init; } = ChannelOrder.Rgb;
    public ChannelOrder Liveness { get; init; } = ChannelOrder.Rgb;
    public ChannelOrder Pose { get; init; } = ChannelOrder.Bgr;

    public static ModelChannelOrders Default { get; } = new();
}
