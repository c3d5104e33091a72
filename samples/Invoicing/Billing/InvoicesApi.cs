using Invoicing.Contracts;
using Jobs.Client;
using Jobs.Contracts.Jobs;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Billing;

/// <summary>
/// The billing service's endpoints: an invoice is rendered by a Jobs job, submitted here with the invoice number as
/// its idempotency key, so sending the same invoice twice renders it once.
/// </summary>
public static class InvoicesApi
{
    public static IEndpointRouteBuilder MapInvoices(this IEndpointRouteBuilder app)
    {
        var invoices = app.MapGroup("/invoices");
        invoices.MapPost("", CreateInvoice);
        invoices.MapGet("/{jobId:guid}", GetInvoice);
        invoices.MapGet("/{jobId:guid}/pdf", GetInvoicePdf);
        return app;
    }

    /// <summary>Submits the invoice's job and starts following it; answers 202 with where to read it.</summary>
    public static async Task<Results<Accepted<InvoiceAccepted>, ValidationProblem, ProblemHttpResult>> CreateInvoice(
        InvoicePayload invoice, JobsClient jobs, InvoiceFollower follower, CancellationToken cancellationToken)
    {
        try
        {
            var submitted = await jobs.SubmitAsync(InvoiceJob.Type, invoice, new SubmitOptions { IdempotencyKey = InvoiceJob.IdempotencyKeyOf(invoice.Number) }, cancellationToken);
            if (!submitted.Replayed)
            {
                // A replay is the first request's job, which that request already follows.
                follower.Follow(submitted.JobId, invoice.Number);
            }

            var location = $"/invoices/{submitted.JobId}";
            return TypedResults.Accepted(location, new InvoiceAccepted(submitted.JobId, invoice.Number, submitted.Replayed, location));
        }
        catch (JobsValidationException e)
        {
            // The Jobs API checked the invoice against the job type's schema: pass its field errors on as they are.
            return TypedResults.ValidationProblem(e.Errors, e.Detail, title: "The invoice is not valid");
        }
        catch (JobsRateLimitedException e)
        {
            // Too many invoices at once: the caller may try again when the Jobs API says.
            var retryAfter = (int)Math.Ceiling((e.RetryAfter ?? TimeSpan.FromSeconds(1)).TotalSeconds);
            return TypedResults.Problem(e.Detail, statusCode: StatusCodes.Status429TooManyRequests, title: e.Title,
                extensions: new Dictionary<string, object?> { ["retryAfterSeconds"] = retryAfter });
        }
        catch (JobsApiException e) when ((int)e.Status is 401 or 403 or >= 500)
        {
            // This service's own key or the Jobs API failed, not the caller's request: a bad gateway to the caller.
            return TypedResults.Problem($"The Jobs API answered {(int)e.Status} {e.Code}.", statusCode: StatusCodes.Status502BadGateway, title: "Invoices cannot be rendered now");
        }
        catch (JobsApiException e)
        {
            return TypedResults.Problem(e.Detail, statusCode: (int)e.Status, title: e.Title);
        }
    }

    public static async Task<Results<Ok<InvoiceState>, NotFound>> GetInvoice(Guid jobId, JobsClient jobs, CancellationToken cancellationToken) =>
        await jobs.GetAsync(jobId, cancellationToken) is { Type: InvoiceJob.Type } job
            ? TypedResults.Ok(InvoiceState.Of(job))
            : TypedResults.NotFound();

    /// <summary>The rendered PDF, streamed from the Jobs API as it arrives; 409 until the job has completed.</summary>
    public static async Task<Results<FileStreamHttpResult, NotFound, Conflict<InvoiceState>>> GetInvoicePdf(
        Guid jobId, JobsClient jobs, CancellationToken cancellationToken)
    {
        if (await jobs.GetAsync(jobId, cancellationToken) is not { Type: InvoiceJob.Type } job)
        {
            return TypedResults.NotFound();
        }

        if (job.Status != JobStatus.Completed)
        {
            return TypedResults.Conflict(InvoiceState.Of(job));
        }

        var result = job.GetResult<InvoiceResult>()!;
        var pdf = await jobs.OpenJobFileAsync(jobId, result.File, cancellationToken);
        return TypedResults.Stream(pdf, "application/pdf", result.File);
    }
}

/// <summary>The answer to a new invoice: its job, and whether an earlier request had already submitted it.</summary>
public sealed record InvoiceAccepted(Guid JobId, string Number, bool Replayed, string Location);

/// <summary>An invoice's job as the billing service shows it.</summary>
public sealed record InvoiceState(Guid JobId, string Status, int Progress, string? Stage, string? Error, InvoiceResult? Invoice)
{
    public static InvoiceState Of(JobResponse job) => new(
        job.Id, job.Status, job.Progress, job.Stage, job.Error,
        job.Status == JobStatus.Completed ? job.GetResult<InvoiceResult>() : null);
}
