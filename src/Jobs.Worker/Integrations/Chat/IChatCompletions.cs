using System.Text.Json;

namespace Jobs.Worker.Integrations.Chat;

/// <summary>
/// One chat completion whose answer is a JSON object (<c>response_format: json_object</c>): the OpenAI-compatible
/// API (<see cref="OpenAiChatCompletions"/>) or a deterministic simulation (<see cref="SimulatedChatCompletions"/>,
/// the default). A single call may take minutes; <see cref="ChatOptions.Timeout"/> bounds it.
/// </summary>
public interface IChatCompletions
{
    /// <summary><c>simulated</c> or <c>openai</c>: what results are labelled with.</summary>
    string Source { get; }

    /// <summary>The model asked for.</summary>
    string Model { get; }

    Task<ChatCompletion> CompleteJsonAsync(ChatRequest request, CancellationToken cancellationToken);
}

/// <summary>A system message and a user message: text, and optionally one image sent alongside it.</summary>
public sealed record ChatRequest(string SystemPrompt, string UserText, ChatImage? Image = null);

/// <summary>An image as its media type (<c>image/png</c>, <c>image/jpeg</c>) and base64 content.</summary>
public sealed record ChatImage(string MediaType, string Base64)
{
    public string DataUrl => $"data:{MediaType};base64,{Base64}";
}

/// <summary>The answer: its JSON object, the model that wrote it, the tokens used and their price in USD.</summary>
public sealed record ChatCompletion(JsonElement Content, string Model, ChatUsage Usage, decimal Cost);

public sealed record ChatUsage(int PromptTokens, int CompletionTokens, int TotalTokens);
