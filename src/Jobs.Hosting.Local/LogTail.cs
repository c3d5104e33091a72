namespace Jobs.Hosting.Local;

/// <summary>The last lines a process wrote: what a failure report shows without keeping whole logs in memory.</summary>
internal sealed class LogTail(int capacity = 50)
{
    private readonly Queue<string> _lines = new();
    private readonly Lock _gate = new();

    public void Add(string line)
    {
        lock (_gate)
        {
            if (_lines.Count == capacity)
            {
                _lines.Dequeue();
            }

            _lines.Enqueue(line);
        }
    }

    public IReadOnlyList<string> Snapshot()
    {
        lock (_gate)
        {
            return [.. _lines];
        }
    }
}
