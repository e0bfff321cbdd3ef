using Router.Abstractions;

namespace Router.Models.Onnx;

/// <summary>An ONNX Runtime call failed; the message carries ORT's own text. Code EXTRACTION_ERROR.</summary>
public sealed class OrtException : RouterException
{
    public OrtException(string reason) : base(ErrorCodes.ExtractionError, reason)
    {
    }
}
