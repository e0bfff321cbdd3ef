namespace Router.Galleries.Query;

public enum ListOrder { IdAscending, IdDescending, ConfidenceDescending }
