namespace Jobs.Hosting.AppModel;

/// <summary>The command line Aspire's AppHost understands, as far as the subset goes: the manifest publisher.</summary>
internal sealed record AppHostArguments(string? Publisher, string? OutputPath)
{
    public bool IsPublishMode => Publisher is not null;

    public static AppHostArguments Parse(string[] args)
    {
        string? publisher = null;
        string? outputPath = null;
        for (var i = 0; i < args.Length; i++)
        {
            var (key, value) = args[i].Split('=', 2) is [var k, var v] ? (k, (string?)v) : (args[i], null);
            if (value is null && i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal)
                && key is "--publisher" or "--output-path")
            {
                value = args[++i];
            }

            switch (key)
            {
                case "--publisher":
                    publisher = value;
                    break;
                case "--output-path":
                    outputPath = value;
                    break;
            }
        }

        if (publisher is not null and not "manifest")
        {
            throw new NotSupportedException($"Publisher '{publisher}' is not supported by the local AppHost; only 'manifest' is.");
        }

        return new AppHostArguments(publisher, outputPath);
    }
}
