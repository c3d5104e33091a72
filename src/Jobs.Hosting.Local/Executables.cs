namespace Jobs.Hosting.Local;

/// <summary>Finds the server binaries the machine has: on PATH first, then where Debian's packages put them.</summary>
internal static class Executables
{
    public static string Find(string name, params string[] fallbackDirectories)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var directory in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).Concat(fallbackDirectories))
        {
            var candidate = Path.Combine(directory, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException(
            $"'{name}' was not found on PATH nor in {string.Join(", ", fallbackDirectories)}. Install it (./run.sh does) and try again.");
    }

    /// <summary>PostgreSQL's server binaries are not on PATH on Debian; take the newest installed major version.</summary>
    public static string PostgresBinDirectory()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("JOBS_PG_BIN");
        if (!string.IsNullOrEmpty(fromEnvironment))
        {
            return fromEnvironment;
        }

        var debian = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql")
                .Select(d => (Directory: d, Version: int.TryParse(Path.GetFileName(d), out var v) ? v : -1))
                .Where(d => d.Version > 0 && File.Exists(Path.Combine(d.Directory, "bin", "postgres")))
                .OrderByDescending(d => d.Version)
                .Select(d => Path.Combine(d.Directory, "bin"))
                .FirstOrDefault()
            : null;
        return debian ?? Path.GetDirectoryName(Find("postgres"))!;
    }
}
