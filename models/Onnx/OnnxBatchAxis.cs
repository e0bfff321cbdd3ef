using System.Buffers;
using System.Text;

namespace Router.Models.Onnx;

/// <summary>
/// Rewrites an ONNX model exported with a fixed batch of 1 so that its batch axis is free:
/// the first dimension of the graph's first input and of every output becomes the symbolic
/// <see cref="DimensionName"/>, the intermediate shape hints (<c>value_info</c>, which repeat the
/// batch of 1 and would make ORT reject a larger one) are dropped for ORT to infer again, and
/// constant Reshape targets that pin the batch to 1 get 0 there ("copy that axis from the input").
/// All of fr_*.onnx are exported 1×…: without this no batch of faces can be run in one call.
/// Works on the protobuf wire format directly (the fields below are from onnx.proto, stable since
/// IR version 3), so the model's weights are copied, never decoded.
/// </summary>
public static class OnnxBatchAxis
{
    public const string DimensionName = "batch";

    // onnx.proto field numbers.
    private const int ModelGraph = 7;
    private const int GraphNode = 1, GraphInitializer = 5, GraphInput = 11, GraphOutput = 12, GraphValueInfo = 13;
    private const int NodeInput = 1, NodeOutput = 2, NodeOpType = 4, NodeAttribute = 5;
    private const int AttributeName = 1, AttributeTensor = 5;
    private const int ValueInfoName = 1, ValueInfoType = 2;
    private const int TypeTensor = 1, TensorTypeShape = 2, ShapeDim = 1, DimValue = 1, DimParam = 2;
    private const int TensorDims = 1, TensorDataType = 2, TensorInt64Data = 7, TensorName = 8, TensorRawData = 9;
    private const int DataTypeInt64 = 7;

    private const int WireVarint = 0, Wire64 = 1, WireLen = 2, Wire32 = 5;

    /// <summary>The model's bytes with a free batch axis (see the class summary).</summary>
    public static byte[] MakeDynamic(ReadOnlySpan<byte> model)
    {
        var graph = Fields(model).FirstOrDefault(f => f.Number == ModelGraph && f.Wire == WireLen);
        if (graph.Number == 0) throw new OrtException("the ONNX model has no graph");
        var graphBytes = model.Slice(graph.Start, graph.Length);
        var reshapeTargets = ReshapeShapeInputs(graphBytes);
        var firstInput = true;
        var rewritten = Rewrite(graphBytes, (number, wire, value, writer) =>
        {
            switch (number)
            {
                case GraphValueInfo when wire == WireLen:
                    return true; // dropped
                case GraphInput when wire == WireLen:
                    // Only the first input is the data; later inputs (fr_age lists its weights as inputs) keep their shapes.
                    if (firstInput) { firstInput = false; WriteLen(writer, number, FreeFirstDim(value)); return true; }
                    return false;
                case GraphOutput when wire == WireLen:
                    WriteLen(writer, number, FreeFirstDim(value));
                    return true;
                case GraphInitializer when wire == WireLen && reshapeTargets.Contains(TensorNameOf(value)):
                    WriteLen(writer, number, CopyLeadingOne(value));
                    return true;
                case GraphNode when wire == WireLen && reshapeTargets.Count > 0 && IsConstantFor(value, reshapeTargets):
                    WriteLen(writer, number, RewriteConstantNode(value));
                    return true;
                default:
                    return false;
            }
        });
        return Rewrite(model, (number, wire, _, writer) =>
        {
            if (number != ModelGraph || wire != WireLen) return false;
            WriteLen(writer, number, rewritten);
            return true;
        });
    }

    /// <summary>The names fed as the shape (second input) of a Reshape node.</summary>
    private static HashSet<string> ReshapeShapeInputs(ReadOnlySpan<byte> graph)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var f in Fields(graph))
        {
            if (f.Number != GraphNode || f.Wire != WireLen) continue;
            var node = graph.Slice(f.Start, f.Length);
            string? op = null;
            var inputs = new List<string>(2);
            foreach (var n in Fields(node))
            {
                if (n.Number == NodeOpType && n.Wire == WireLen) op = Encoding.UTF8.GetString(node.Slice(n.Start, n.Length));
                else if (n.Number == NodeInput && n.Wire == WireLen) inputs.Add(Encoding.UTF8.GetString(node.Slice(n.Start, n.Length)));
            }
            if (op == "Reshape" && inputs.Count > 1) names.Add(inputs[1]);
        }
        return names;
    }

    /// <summary>A ValueInfoProto whose tensor shape's first dimension becomes <see cref="DimensionName"/>.</summary>
    private static byte[] FreeFirstDim(ReadOnlySpan<byte> valueInfo) =>
        RewriteField(valueInfo, ValueInfoType, type =>
            RewriteField(type, TypeTensor, tensor =>
                RewriteField(tensor, TensorTypeShape, shape =>
                {
                    var first = true;
                    return Rewrite(shape, (number, wire, _, writer) =>
                    {
                        if (number != ShapeDim || wire != WireLen || !first) return false;
                        first = false;
                        var dim = new ArrayBufferWriter<byte>();
                        WriteLen(dim, DimParam, Encoding.UTF8.GetBytes(DimensionName));
                        WriteLen(writer, number, dim.WrittenSpan);
                        return true;
                    });
                })));

    private static string TensorNameOf(ReadOnlySpan<byte> tensor)
    {
        foreach (var f in Fields(tensor))
            if (f.Number == TensorName && f.Wire == WireLen) return Encoding.UTF8.GetString(tensor.Slice(f.Start, f.Length));
        return "";
    }

    /// <summary>An int64 TensorProto (a Reshape target) whose first value 1 becomes 0, "keep the input's batch".</summary>
    private static byte[] CopyLeadingOne(ReadOnlySpan<byte> tensor)
    {
        var isInt64 = false;
        foreach (var f in Fields(tensor))
            if (f.Number == TensorDataType && f.Wire == WireVarint) isInt64 = f.Value == DataTypeInt64;
        if (!isInt64) return tensor.ToArray();
        var done = false;
        return Rewrite(tensor, (number, wire, value, writer) =>
        {
            if (done) return false;
            if (number == TensorRawData && wire == WireLen && value.Length >= 8)
            {
                done = true;
                var copy = value.ToArray();
                if (BitConverter.ToInt64(copy, 0) == 1) BitConverter.TryWriteBytes(copy.AsSpan(0, 8), 0L);
                WriteLen(writer, number, copy);
                return true;
            }
            if (number == TensorInt64Data && wire == WireLen && value.Length > 0)
            {
                // Packed int64s: the first varint.
                done = true;
                var pos = 0;
                var firstValue = ReadVarint(value, ref pos);
                if (firstValue != 1) return false;
                var packed = new ArrayBufferWriter<byte>();
                WriteVarint(packed, 0);
                packed.Write(value[pos..]);
                WriteLen(writer, number, packed.WrittenSpan);
                return true;
            }
            if (number == TensorInt64Data && wire == WireVarint)
            {
                done = true;
                if (ReadVarintAt(value) != 1) return false;
                WriteTag(writer, number, WireVarint);
                WriteVarint(writer, 0);
                return true;
            }
            return false;
        });
    }

    private static bool IsConstantFor(ReadOnlySpan<byte> node, HashSet<string> names)
    {
        string? op = null, output = null;
        foreach (var n in Fields(node))
        {
            if (n.Number == NodeOpType && n.Wire == WireLen) op = Encoding.UTF8.GetString(node.Slice(n.Start, n.Length));
            else if (n.Number == NodeOutput && n.Wire == WireLen) output ??= Encoding.UTF8.GetString(node.Slice(n.Start, n.Length));
        }
        return op == "Constant" && output != null && names.Contains(output);
    }

    /// <summary>A Constant node feeding a Reshape: its <c>value</c> tensor gets <see cref="CopyLeadingOne"/>.</summary>
    private static byte[] RewriteConstantNode(ReadOnlySpan<byte> node) =>
        Rewrite(node, (number, wire, value, writer) =>
        {
            if (number != NodeAttribute || wire != WireLen) return false;
            WriteLen(writer, number, RewriteField(value, AttributeTensor, CopyLeadingOne));
            return true;
        });

    // ---- protobuf wire format ----

    private readonly record struct Field(int Number, int Wire, int Start, int Length, ulong Value);

    private delegate bool FieldRewriter(int number, int wire, ReadOnlySpan<byte> value, IBufferWriter<byte> writer);
    private delegate byte[] SpanTransform(ReadOnlySpan<byte> value);

    /// <summary>The message with its field <paramref name="field"/> (a sub-message) passed through <paramref name="transform"/>.</summary>
    private static byte[] RewriteField(ReadOnlySpan<byte> message, int field, SpanTransform transform) =>
        Rewrite(message, (number, wire, value, writer) =>
        {
            if (number != field || wire != WireLen) return false;
            WriteLen(writer, number, transform(value));
            return true;
        });

    /// <summary>Copies <paramref name="message"/> field by field; where <paramref name="rewrite"/> returns true it wrote (or dropped) the field itself.</summary>
    private static byte[] Rewrite(ReadOnlySpan<byte> message, FieldRewriter rewrite)
    {
        var writer = new ArrayBufferWriter<byte>(message.Length + 64);
        foreach (var f in Fields(message))
        {
            var raw = message.Slice(f.Start, f.Length);
            if (rewrite(f.Number, f.Wire, raw, writer)) continue;
            WriteTag(writer, f.Number, f.Wire);
            switch (f.Wire)
            {
                case WireVarint: WriteVarint(writer, f.Value); break;
                case WireLen: WriteVarint(writer, (ulong)raw.Length); writer.Write(raw); break;
                default: writer.Write(raw); break;
            }
        }
        return writer.WrittenSpan.ToArray();
    }

    /// <summary>Every field of a message; Start/Length frame a LEN field's payload or a fixed field's bytes, or a varint's bytes.</summary>
    private static List<Field> Fields(ReadOnlySpan<byte> message)
    {
        var fields = new List<Field>();
        var pos = 0;
        while (pos < message.Length)
        {
            var tag = ReadVarint(message, ref pos);
            int number = (int)(tag >> 3), wire = (int)(tag & 7);
            if (number <= 0) throw new OrtException("malformed ONNX model: bad protobuf field tag");
            switch (wire)
            {
                case WireVarint:
                    var start = pos;
                    var value = ReadVarint(message, ref pos);
                    fields.Add(new Field(number, wire, start, pos - start, value));
                    break;
                case Wire64:
                case Wire32:
                    var size = wire == Wire64 ? 8 : 4;
                    if (pos + size > message.Length) throw new OrtException("malformed ONNX model: a field runs past its message");
                    fields.Add(new Field(number, wire, pos, size, 0));
                    pos += size;
                    break;
                case WireLen:
                    var length = ReadVarint(message, ref pos);
                    if (length > (ulong)(message.Length - pos)) throw new OrtException("malformed ONNX model: a field runs past its message");
                    fields.Add(new Field(number, wire, pos, (int)length, 0));
                    pos += (int)length;
                    break;
                default: throw new OrtException($"malformed ONNX model: protobuf wire type {wire}");
            }
        }
        return fields;
    }

    private static ulong ReadVarintAt(ReadOnlySpan<byte> bytes)
    {
        var pos = 0;
        return ReadVarint(bytes, ref pos);
    }

    private static ulong ReadVarint(ReadOnlySpan<byte> bytes, ref int pos)
    {
        ulong result = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (pos >= bytes.Length) throw new OrtException("malformed ONNX model: truncated varint");
            var b = bytes[pos++];
            result |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0) return result;
        }
        throw new OrtException("malformed ONNX model: varint too long");
    }

    private static void WriteTag(IBufferWriter<byte> writer, int number, int wire) => WriteVarint(writer, ((ulong)number << 3) | (uint)wire);

    private static void WriteVarint(IBufferWriter<byte> writer, ulong value)
    {
        var span = writer.GetSpan(10);
        var i = 0;
        while (value >= 0x80)
        {
            span[i++] = (byte)(value | 0x80);
            value >>= 7;
        }
        span[i++] = (byte)value;
        writer.Advance(i);
    }

    private static void WriteLen(IBufferWriter<byte> writer, int number, ReadOnlySpan<byte> payload)
    {
        WriteTag(writer, number, WireLen);
        WriteVarint(writer, (ulong)payload.Length);
        writer.Write(payload);
    }
}
