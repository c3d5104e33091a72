using Jobs.Web.Components.Display;

namespace Jobs.Web.Tests;

public sealed class DisplayFormatTests
{
    [Theory]
    [InlineData("0.6", "$0.60")]
    [InlineData("0.45", "$0.45")]
    [InlineData("0.0123", "$0.01")]
    [InlineData("1234.5", "$1,234.50")]
    [InlineData("0", "$0.00")]
    public void Money_HasTwoDecimals(string amount, string shown) =>
        DisplayFormat.Money(decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture)).ShouldBe(shown);

    [Fact]
    public void Money_UnderHalfACent_ReadsLessThanACent_NotZero() => DisplayFormat.Money(0.0042m).ShouldBe("< $0.01");

    [Fact]
    public void UnitMoney_KeepsFourDecimals_ForFractionsOfACent()
    {
        DisplayFormat.UnitMoney(0.042m).ShouldBe("$0.0420");
        DisplayFormat.UnitMoney(2.5m).ShouldBe("$2.50");
    }

    [Theory]
    [InlineData(5, "5 s")]
    [InlineData(45, "45 s")]
    [InlineData(65, "1 min 05 s")]
    [InlineData(3725, "1 h 02 min")]
    public void Duration_CountsSecondsThenMinutesThenHours(int seconds, string shown) =>
        DisplayFormat.Duration(TimeSpan.FromSeconds(seconds)).ShouldBe(shown);

    [Fact]
    public void Metric_ShowsBytesAsASize()
    {
        using var json = System.Text.Json.JsonDocument.Parse("14540");
        DisplayFormat.Metric("bytes", json.RootElement).ShouldBe("14.2 KB");
    }
}
