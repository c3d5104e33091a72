using Jobs.Api.Auth;
using Jobs.Core.Files;
using Jobs.Core.Identity;
using Microsoft.Extensions.Options;

namespace Jobs.Api.Files;

/// <summary>What the file endpoints depend on, gathered in one <c>[AsParameters]</c> record.</summary>
public sealed record FileServices(
    HttpContext HttpContext,
    IFileStore Files,
    IOptions<UploadOptions> Options,
    UploadSlots Slots,
    UploadSpool Spool,
    TimeProvider Time)
{
    public Caller Caller => HttpContext.User.ToCaller();
}
