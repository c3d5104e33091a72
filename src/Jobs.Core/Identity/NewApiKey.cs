namespace Jobs.Core.Identity;

/// <summary>A key just made: <see cref="PlainKey"/> exists only here and is shown once; the database keeps its hash.</summary>
public sealed record NewApiKey(ApiKeyInfo Key, string PlainKey);
