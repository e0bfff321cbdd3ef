namespace Router.Host.Compat.DeepStack;

/// <summary>
/// The DeepStack / CodeProject.AI face API (section "DeepStack"), served at <c>/v1/vision/face</c>:
/// the gallery its faces live in, and the keys its clients send as the form field <c>api_key</c>
/// (Home Assistant's deepstack_face, Double Take). Without keys it follows the admin API's rules.
/// </summary>
public sealed class DeepStackOptions
{
    public const string Section = "DeepStack";

    public string Gallery { get; set; } = "deepstack";

    public string[] ApiKeys { get; set; } = [];
}
