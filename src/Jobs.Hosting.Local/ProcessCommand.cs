namespace Jobs.Hosting.Local;

/// <summary>A program and its arguments, as one would type them: what a supervisor (the AppHost, a test) starts.</summary>
public sealed record ProcessCommand(string FileName, IReadOnlyList<string> Arguments);
