using System.Net;
using Jobs.Core.Webhooks;
using Microsoft.Extensions.Options;

namespace Jobs.Core.Tests;

/// <summary>
/// Signatures as Standard Webhooks defines them, checked against the specification's published test vector (so a
/// receiver's existing library verifies what Jobs sends), and the address classes the policy refuses.
/// </summary>
public sealed class WebhookSignatureTests
{
    private const string SpecSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private const string SpecId = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private const long SpecTimestamp = 1614265330;
    private const string SpecBody = """{"test": 2432232314}""";
    private const string SpecSignature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    [Fact]
    public void TheSpecificationsTestVector_IsReproduced()
    {
        WebhookSignature.Sign(SpecSecret, SpecId, SpecTimestamp, SpecBody).ShouldBe(SpecSignature);
    }

    [Fact]
    public void DuringARotation_TheHeaderCarriesBothSignatures_TheCurrentOneFirst()
    {
        var current = WebhookSignature.NewSecret();
        WebhookSignature.Header(SpecId, SpecTimestamp, SpecBody, current, SpecSecret)
            .ShouldBe($"{WebhookSignature.Sign(current, SpecId, SpecTimestamp, SpecBody)} {SpecSignature}");
        WebhookSignature.Header(SpecId, SpecTimestamp, SpecBody, SpecSecret, null).ShouldBe(SpecSignature);
    }

    [Fact]
    public void ANewSecret_IsWhsecAndAtLeast24RandomBytes()
    {
        var secret = WebhookSignature.NewSecret();
        secret.ShouldStartWith("whsec_");
        Convert.FromBase64String(secret["whsec_".Length..]).Length.ShouldBeGreaterThanOrEqualTo(24);
        WebhookSignature.NewSecret().ShouldNotBe(secret);
    }

    [Theory]
    [InlineData("127.0.0.1", "loopback")]
    [InlineData("::1", "loopback")]
    [InlineData("::ffff:127.0.0.1", "loopback")]
    [InlineData("10.0.0.1", "private")]
    [InlineData("172.16.0.1", "private")]
    [InlineData("172.31.255.255", "private")]
    [InlineData("192.168.1.1", "private")]
    [InlineData("100.64.0.1", "shared (carrier-grade NAT)")]
    [InlineData("169.254.169.254", "link-local")]
    [InlineData("fe80::1", "link-local")]
    [InlineData("fd12:3456::1", "unique-local")]
    [InlineData("224.0.0.1", "multicast")]
    [InlineData("ff02::1", "multicast")]
    [InlineData("0.0.0.0", "unspecified")]
    [InlineData("::", "unspecified")]
    [InlineData("240.0.0.1", "reserved")]
    [InlineData("93.184.216.34", null)]
    [InlineData("172.32.0.1", null)]
    [InlineData("2606:4700::1111", null)]
    public void Addresses_AreClassified(string address, string? kind)
    {
        WebhookAddressPolicy.Classify(IPAddress.Parse(address)).ShouldBe(kind);
    }

    [Fact]
    public async Task AnAllowedHost_PassesWhateverItResolvesTo_AndAllowingPrivateNetworksLiftsTheRule()
    {
        var strict = new WebhookAddressPolicy(Options.Create(new WebhookOptions { AllowedHosts = ["127.0.0.1"] }));
        (await strict.ResolveAsync("127.0.0.1", CancellationToken.None)).ShouldBe([IPAddress.Loopback]);
        (await Should.ThrowAsync<WebhookAddressRefusedException>(() => strict.ResolveAsync("10.1.1.1", CancellationToken.None)))
            .Message.ShouldContain("10.1.1.1 is a private address");

        var open = new WebhookAddressPolicy(Options.Create(new WebhookOptions { AllowPrivateNetworks = true }));
        (await open.ResolveAsync("10.1.1.1", CancellationToken.None)).ShouldBe([IPAddress.Parse("10.1.1.1")]);
    }
}
