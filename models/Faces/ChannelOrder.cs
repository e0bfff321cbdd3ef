namespace Router.Models.Faces;

/// <summary>Which colour goes into a model's first input plane.</summary>
public enum ChannelOrder
{
    Bgr,
    Rgb,
}
