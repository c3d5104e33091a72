using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Jobs.Core.Engine;
using Microsoft.Extensions.Options;

namespace Jobs.Worker.Integrations.Chat;

/// <summary>
/// OpenAI chat completions (<c>POST /v1/chat/completions</c>, <c>Authorization: Bearer</c>): a system and a user
/// message (with the image as an <c>image_url</c> data URL part when there is one) and
/// <c>response_format: {type: "json_object"}</c>; the answer's <c>choices[0].message.content</c> is read as JSON and
/// its <c>usage</c> priced. Errors follow <see cref="IntegrationHttp"/>: 429 and 5xx are retried by the pipeline
/// (honouring <c>Retry-After</c>), any other 4xx fails the job at once. An answer that is not the JSON asked for, cut
/// short, or refused fails the job at once too: asking again costs as much and rarely answers differently.
/// </summary>
internal sealed class OpenAiChatCompletions(IHttpClientFactory httpClientFactory, IOptions<ChatOptions> options, IOptions<IntegrationPrices> prices)
    : IChatCompletions
{
    public const string HttpClientName = "openai-chat";
    private const string Service = "OpenAI chat completions";

    public string Source => ChatOptions.OpenAi;

    public string Model => options.Value.Model;

    public async Task<ChatCompletion> CompleteJsonAsync(ChatRequest request, CancellationToken cancellationToken)
    {
        var client = httpClientFactory.CreateClient(HttpClientName);
        using var message = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions")
        {
            Content = new StringContent(Body(request, Model).ToJsonString(), System.Text.Encoding.UTF8, "application/json"),
        };
        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", options.Value.ApiKey);
        using var response = await client.SendAsync(message, cancellationToken);
        await IntegrationHttp.EnsureSuccessAsync(response, Service, ChatOptions.Section, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        return Read(text, Model, prices.Value);
    }

    public static JsonObject Body(ChatRequest request, string model)
    {
        JsonNode userContent = request.Image is null
            ? JsonValue.Create(request.UserText)
            : new JsonArray(
                new JsonObject { ["type"] = "text", ["text"] = request.UserText },
                new JsonObject { ["type"] = "image_url", ["image_url"] = new JsonObject { ["url"] = request.Image.DataUrl } });
        return new JsonObject
        {
            ["model"] = model,
            ["messages"] = new JsonArray(
                new JsonObject { ["role"] = "system", ["content"] = request.SystemPrompt },
                new JsonObject { ["role"] = "user", ["content"] = userContent }),
            ["response_format"] = new JsonObject { ["type"] = "json_object" },
        };
    }

    private static ChatCompletion Read(string body, string requestedModel, IntegrationPrices prices)
    {
        JsonElement root;
        try
        {
            root = JsonDocument.Parse(body).RootElement;
        }
        catch (JsonException e)
        {
            throw new NonRetryableJobException($"{Service} answered 200 with a body that is not JSON ({e.Message}): {Shorten(body)}");
        }

        if (root.ValueKind != JsonValueKind.Object
            || !root.TryGetProperty("choices", out var choices) || choices.ValueKind != JsonValueKind.Array || choices.GetArrayLength() == 0
            || !choices[0].TryGetProperty("message", out var answer) || answer.ValueKind != JsonValueKind.Object)
        {
            throw new NonRetryableJobException($"{Service} answered without choices[0].message: {Shorten(body)}");
        }

        var finish = choices[0].TryGetProperty("finish_reason", out var f) && f.ValueKind == JsonValueKind.String ? f.GetString() : null;
        if (answer.TryGetProperty("refusal", out var refusal) && refusal.ValueKind == JsonValueKind.String)
        {
            throw new NonRetryableJobException($"The model refused: {Shorten(refusal.GetString()!)}");
        }

        if (!answer.TryGetProperty("content", out var contentElement) || contentElement.ValueKind != JsonValueKind.String)
        {
            throw new NonRetryableJobException($"{Service} answered with no message content (finish_reason {finish ?? "none"}).");
        }

        var content = contentElement.GetString()!;
        if (finish == "length")
        {
            throw new NonRetryableJobException("The model's answer was cut short at its token limit (finish_reason length); shorten the input.");
        }

        JsonElement json;
        try
        {
            json = JsonDocument.Parse(content).RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new NonRetryableJobException($"The model's answer is not the JSON object asked for ({e.Message}). It began: {Shorten(content)}");
        }

        if (json.ValueKind != JsonValueKind.Object)
        {
            throw new NonRetryableJobException($"The model's answer is JSON but not an object: {Shorten(content)}");
        }

        var usage = new ChatUsage(0, 0, 0);
        if (root.TryGetProperty("usage", out var u) && u.ValueKind == JsonValueKind.Object)
        {
            var prompt = Int(u, "prompt_tokens");
            var completion = Int(u, "completion_tokens");
            var total = u.TryGetProperty("total_tokens", out _) ? Int(u, "total_tokens") : prompt + completion;
            usage = new ChatUsage(prompt, completion, total);
        }

        var model = root.TryGetProperty("model", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString()! : requestedModel;
        return new ChatCompletion(json, model, usage, prices.ChatCost(usage));
    }

    private static int Int(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var n) ? n : 0;

    private static string Shorten(string text)
    {
        text = text.ReplaceLineEndings(" ").Trim();
        return text.Length <= 200 ? text : text[..200] + "…";
    }
}
