using Jobs.Contracts.Contacts;
using Jobs.Core.Workloads.Contacts;

namespace Jobs.Api.Contacts;

/// <summary>How the API shows a contact row: the contract record made from the store's.</summary>
public static class ContactResponses
{
    extension(ContactResponse)
    {
        public static ContactResponse From(ContactRow c) => new(
            c.Id, c.Email, c.FirstName, c.LastName, c.Company, c.Phone, c.OptedOut, c.DoNotContact, c.Tags, c.CreatedAt, c.UpdatedAt);
    }
}
