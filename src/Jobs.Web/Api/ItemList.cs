namespace Jobs.Web.Api;

/// <summary>An unpaged list as the admin endpoints answer it: <c>{ "items": [...] }</c>.</summary>
public sealed record ItemList<T>(IReadOnlyList<T> Items);
