namespace Router.Abstractions;

/// <summary>
/// Filter builders in the sfapi style. With <c>using static Router.Abstractions.Filters;</c>:
/// <c>Id.Gte(100)</c>, <c>Meta("age").Gte(45)</c>, <c>Meta("camera").OneOf("a", "b")</c>,
/// <c>Detection(det, 0.77)</c>, <c>Face(faceId, 0.77)</c>, <c>Subject.OneOf("alice")</c>.
/// </summary>
public static class Filters
{
    public static class Id
    {
        public static Filter Lte(long value) => new IdFilter(FilterOp.Lte, [value]);
        public static Filter Gte(long value) => new IdFilter(FilterOp.Gte, [value]);
        public static Filter OneOf(params long[] values) => new IdFilter(FilterOp.OneOf, values);
    }

    public static class Subject
    {
        public static Filter OneOf(params string[] subjects) => new SubjectFilter(subjects);
    }

    public static MetaFilterBuilder Meta(string key) => new(key);

    public static Filter Detection(string detectionId, double threshold) => new DetectionFilter(detectionId, threshold);

    public static Filter Detection(DetectFace detection, double threshold) =>
        new DetectionFilter(detection.Id ?? throw RouterException.BadParam("detection", null,
            "the detection has no id: detect with facen to make it searchable"), threshold);

    public static Filter Face(FaceId face, double threshold) => new FaceFilter(face, threshold);

    public static Filter Face(Abstractions.Face face, double threshold) => new FaceFilter(face.Id, threshold);

    public readonly struct MetaFilterBuilder(string key)
    {
        public Filter Lte(MetaValue value) => new MetaFilter(key, FilterOp.Lte, [value]);
        public Filter Gte(MetaValue value) => new MetaFilter(key, FilterOp.Gte, [value]);
        public Filter OneOf(params MetaValue[] values) => new MetaFilter(key, FilterOp.OneOf, values);
        public Filter Subset(params string[] values) => new MetaFilter(key, FilterOp.Subset, values.Select(MetaValue.Of).ToArray());
    }
}
