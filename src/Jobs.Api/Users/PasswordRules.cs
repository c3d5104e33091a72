using System.Globalization;

namespace Jobs.Api.Users;

/// <summary>
/// What a new password must be, after NIST SP 800-63B: long enough, and not one that guessing tries first: one of the
/// 10,000 most common passwords (<c>CommonPasswords.txt</c>), one of those with digits or symbols around it, a run of
/// one or a few characters, an alphabet or digit sequence, or the account's own email. No rules about mixing
/// character classes: they make passwords harder to remember, not to guess. Every refusal says why, so that a person
/// knows what to change.
/// </summary>
public static class PasswordRules
{
    public const int MinLength = 10;
    public const int MaxLength = 1000;
    public const int MinDistinctCharacters = 5;

    private static readonly Lazy<HashSet<string>> Common = new(Load);

    /// <returns>Why <paramref name="password"/> is refused, as the field's error; null when it is a good password.</returns>
    /// <param name="email">The account's email, which a password must not contain.</param>
    public static string? Check(string? password, string? email)
    {
        if (string.IsNullOrEmpty(password))
        {
            return "is required.";
        }

        if (password.Length is < MinLength or > MaxLength)
        {
            return $"must be {MinLength} to {MaxLength} characters.";
        }

        var lower = password.ToLowerInvariant();
        if (lower.Distinct().Count() < MinDistinctCharacters)
        {
            return $"uses too few different characters (at least {MinDistinctCharacters}): a few unrelated words make a good password.";
        }

        if (IsSequence(lower))
        {
            return "is a plain sequence of letters or digits, which is guessed at once.";
        }

        if (Common.Value.Contains(lower))
        {
            return "is one of the most common passwords, which are guessed first: choose another.";
        }

        var core = lower.Trim(Decoration);
        if (core.Length >= 4 && core.Length < lower.Length && Common.Value.Contains(core))
        {
            return "is a common password with digits or symbols added, which is guessed almost as fast: choose another.";
        }

        var local = email?.Split('@')[0].ToLowerInvariant();
        if (local is { Length: >= 4 } && lower.Contains(local, StringComparison.Ordinal))
        {
            return "must not contain your email address.";
        }

        return null;
    }

    // What people put around a common word to pass composition rules ("password123!", "!!dragon2024").
    private static readonly char[] Decoration = [.. "0123456789 !@#$%^&*()-_=+.,;:?~'\"`/\\|[]{}<>"];

    // Each character one after (or one before) the previous: "abcdefghij", "9876543210".
    private static bool IsSequence(string lower)
    {
        foreach (var step in new[] { 1, -1 })
        {
            var sequence = true;
            for (var i = 1; i < lower.Length && sequence; i++)
            {
                sequence = lower[i] - lower[i - 1] == step;
            }

            if (sequence)
            {
                return true;
            }
        }

        return false;
    }

    private static HashSet<string> Load()
    {
        using var stream = typeof(PasswordRules).Assembly.GetManifestResourceStream("Jobs.Api.Users.CommonPasswords.txt")
            ?? throw new InvalidOperationException("The list of common passwords is not embedded.");
        using var reader = new StreamReader(stream);
        var common = new HashSet<string>(StringComparer.Ordinal);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0 && !line.StartsWith('#'))
            {
                common.Add(line.ToLower(CultureInfo.InvariantCulture));
            }
        }

        return common;
    }
}
