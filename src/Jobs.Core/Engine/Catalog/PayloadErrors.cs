namespace Jobs.Core.Engine.Catalog;

/// <summary>Errors by field path, at most <see cref="PayloadValidator.MaxErrors"/> fields; the rest are counted.</summary>
internal sealed class PayloadErrors : Dictionary<string, List<string>>
{
    public PayloadErrors()
        : base(StringComparer.Ordinal)
    {
    }

    public int Dropped { get; private set; }

    public void Add(string key, string message)
    {
        if (!TryGetValue(key, out var list))
        {
            if (Count >= PayloadValidator.MaxErrors)
            {
                Dropped++;
                return;
            }

            this[key] = list = [];
        }

        list.Add(message);
    }

    public void AddSummary(string message)
    {
        if (!TryGetValue("payload", out var list))
        {
            this["payload"] = list = [];
        }

        list.Add(message);
    }
}
