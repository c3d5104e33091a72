namespace Jobs.Core.Workloads.Contacts;

/// <summary>The orders of the contact list: newest first (by id, UUIDv7), or by email.</summary>
public enum ContactSort
{
    Newest,
    Email,
}
