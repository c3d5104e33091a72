namespace Jobs.Web.Components.Display;

/// <summary>
/// Estimates the time left of a running attempt from how fast its progress moved over the last minute or so. Fed by
/// the job page with the progress it reads and hears; knows nothing of the job otherwise.
/// </summary>
public sealed class ProgressRate
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(60);
    private readonly List<(DateTimeOffset At, int Progress)> _samples = [];

    public void Reset() => _samples.Clear();

    public void Add(DateTimeOffset at, int progress)
    {
        if (_samples.Count > 0 && progress < _samples[^1].Progress)
        {
            _samples.Clear(); // A new attempt started over.
        }

        _samples.Add((at, progress));
        // Keep one sample older than the window, so the estimate always spans at least the window once it can.
        while (_samples.Count > 2 && at - _samples[1].At > Window)
        {
            _samples.RemoveAt(0);
        }
    }

    /// <summary>Null until progress has moved: nothing honest can be said before that.</summary>
    public TimeSpan? Remaining(DateTimeOffset now)
    {
        if (_samples.Count < 2)
        {
            return null;
        }

        var (firstAt, firstProgress) = _samples[0];
        var (lastAt, lastProgress) = _samples[^1];
        var moved = lastProgress - firstProgress;
        var elapsed = (lastAt - firstAt).TotalSeconds;
        if (moved <= 0 || elapsed <= 0 || lastProgress >= 100)
        {
            return null;
        }

        var secondsLeft = (100 - lastProgress) * elapsed / moved - (now - lastAt).TotalSeconds;
        return TimeSpan.FromSeconds(Math.Max(0, secondsLeft));
    }
}
