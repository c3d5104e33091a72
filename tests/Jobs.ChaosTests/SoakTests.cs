using Jobs.Soak;

namespace Jobs.ChaosTests;

/// <summary>1,000 demo jobs under random faults, every invariant checked.</summary>
public sealed class SoakTests
{
    [Fact]
    public async Task QuickSoak_UnderRandomFaults_EveryJobFinishesWithOneOutcome_WithinTheWaitBound()
    {
        var output = TestContext.Current.TestOutputHelper;
        var log = new List<string>();
        // The suite shares the machine with whatever else runs (a build, other tests): the wait bound gets 5 s of slack
        // here instead of the tool's 2 s. The figures printed are the measured ones either way.
        var figures = await new SoakRun(SoakOptions.Quick with { SchedulingSlack = TimeSpan.FromSeconds(5) }, line =>
        {
            lock (log)
            {
                log.Add(line);
            }
        }).RunAsync();

        output?.WriteLine(figures.ToString());
        var report = $"{figures}{Environment.NewLine}{string.Join(Environment.NewLine, figures.Violations.Take(20))}{Environment.NewLine}{string.Join(Environment.NewLine, log.TakeLast(60))}";
        figures.Violations.ShouldBeEmpty(report);
        figures.DuplicatedOutcomes.ShouldBe(0, report);
        figures.Jobs.ShouldBe(SoakOptions.Quick.Jobs, report);
        (figures.Completed + figures.Failed).ShouldBe(figures.Jobs, report);
        figures.FaultCount.ShouldBeGreaterThan(5, report);
    }
}
