namespace Jobs.Bench;

/// <summary>The command line is wrong; the message says how, and the run ends with exit code 2.</summary>
internal sealed class BenchArgumentException(string message) : Exception(message);
