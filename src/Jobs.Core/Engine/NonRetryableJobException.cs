namespace Jobs.Core.Engine;

/// <summary>Thrown by a handler for an error that another attempt cannot fix (bad input, a 4xx): the job fails at once.</summary>
public class NonRetryableJobException : Exception
{
    public NonRetryableJobException(string message) : base(message)
    {
    }

    public NonRetryableJobException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
