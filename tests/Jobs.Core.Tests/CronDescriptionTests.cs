using Jobs.Core.Engine.Schedules;
using Jobs.Cron;

namespace Jobs.Core.Tests;

public sealed class CronDescriptionTests
{
    [Theory]
    [InlineData("* * * * *", "every minute")]
    [InlineData("*/15 * * * *", "every 15 minutes")]
    [InlineData("* * * * * *", "every second")]
    [InlineData("*/5 * * * * *", "every 5 seconds")]
    [InlineData("0 * * * *", "every hour")]
    [InlineData("30 * * * *", "every hour at minute 30")]
    [InlineData("0 */2 * * *", "every 2 hours")]
    [InlineData("15 */6 * * *", "every 6 hours at minute 15")]
    [InlineData("30 2 * * *", "every day at 02:30 (UTC)")]
    [InlineData("0 30 2 * * *", "every day at 02:30 (UTC)")]
    [InlineData("45 30 2 * * *", "every day at 02:30:45 (UTC)")]
    [InlineData("30 2 1 * *", "at 02:30 on day 1 of the month (UTC)")]
    [InlineData("0 0 1 1 *", "at 00:00 on 1 January (UTC)")]
    [InlineData("0 6 24 DEC *", "at 06:00 on 24 December (UTC)")]
    [InlineData("0 9 * * 1", "every Monday at 09:00 (UTC)")]
    [InlineData("0 9 * * 1,3,5", "every Monday, Wednesday and Friday at 09:00 (UTC)")]
    [InlineData("0 10 * * SAT,SUN", "every Saturday and Sunday at 10:00 (UTC)")]
    [InlineData("@daily", "every day at 00:00 (UTC)")]
    [InlineData("@hourly", "every hour")]
    [InlineData("@every_second", "every second")]
    public void Describe_CommonForms_InWords(string cron, string expected) =>
        CronDescription.Describe(cron, "UTC").ShouldBe(expected);

    [Fact]
    public void Describe_Weekdays_NamesTheZone() =>
        CronDescription.Describe("0 9 * * 1-5", "Europe/Berlin").ShouldBe("every weekday at 09:00 (Europe/Berlin)");

    [Theory]
    [InlineData("5 4 * * 2#3")]
    [InlineData("0,30 9 * * *")]
    [InlineData("0 9 L * *")]
    [InlineData("0 9-17 * * *")]
    [InlineData("not a cron")]
    public void Describe_UncommonForms_FallBackToTheExpression(string cron) =>
        CronDescription.Describe(cron, "UTC").ShouldBe(cron);
}
