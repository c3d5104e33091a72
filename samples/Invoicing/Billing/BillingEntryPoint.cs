namespace Billing;

/// <summary>Names this assembly for hosts that start it in-process, such as the integration tests' factory.</summary>
public sealed class BillingEntryPoint;
