using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json;

namespace Oversight.Api.Http;

/// <summary>
/// Reads a JSON request body with our own error reporting: 415 for another media type, 413 past the size
/// limit (also when no Content-Length was sent), 400 naming the field at fault for malformed JSON, a wrong
/// type or an unknown enum value.
/// </summary>
internal static class JsonBody
{
    public const int MaxBytes = 64 * 1024;

    public static async Task<T> ReadAsync<T>(HttpContext http, CancellationToken cancellationToken) where T : class
    {
        var request = http.Request;
        if (!request.HasJsonContentType())
            throw new ApiProblemException(StatusCodes.Status415UnsupportedMediaType, "unsupported-media-type", "Unsupported media type",
                "Send the body as application/json.");
        if (request.ContentLength > MaxBytes) throw TooLarge();

        // The body is read from Kestrel's pipe where it already lies (no copy for a body that arrives in one segment,
        // as nearly all do), then parsed from one span, so trailing data after the value stays an error.
        var body = request.BodyReader;
        ReadResult read;
        while (true)
        {
            read = await body.ReadAsync(cancellationToken);
            if (read.Buffer.Length > MaxBytes)
            {
                body.AdvanceTo(read.Buffer.End);
                throw TooLarge();
            }
            if (read.IsCanceled)
            {
                body.AdvanceTo(read.Buffer.Start);
                throw new OperationCanceledException("The request body's read was cancelled.");
            }
            if (read.IsCompleted) break;
            body.AdvanceTo(read.Buffer.Start, read.Buffer.End); // nothing consumed yet: wait for the rest
        }
        try
        {
            return Deserialize<T>(read.Buffer);
        }
        finally
        {
            body.AdvanceTo(read.Buffer.End);
        }
    }

    private static T Deserialize<T>(ReadOnlySequence<byte> body) where T : class
    {
        if (body.IsEmpty) throw RequestValidationException.For("$", "A JSON body is required.");
        byte[]? rented = null;
        try
        {
            ReadOnlySpan<byte> json;
            if (body.IsSingleSegment) json = body.FirstSpan;
            else
            {
                rented = ArrayPool<byte>.Shared.Rent((int)body.Length);
                body.CopyTo(rented);
                json = rented.AsSpan(0, (int)body.Length);
            }
            return JsonSerializer.Deserialize<T>(json, ApiJson.Requests)
                ?? throw RequestValidationException.For("$", "The body must be a JSON object, not null.");
        }
        catch (JsonException e)
        {
            throw RequestValidationException.For(FieldOf(e.Path), Describe(e));
        }
        finally
        {
            if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>"$.findings[0].category" → "findings[0].category"; the root is "$".</summary>
    private static string FieldOf(string? path) => path is null or "$" ? "$" : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path;

    // System.Text.Json's messages name CLR types; say what the client can act on instead.
    private static string Describe(JsonException e) => e.Message switch
    {
        var m when m.Contains("could not be mapped", StringComparison.Ordinal) => "This member is not part of the request.",
        var m when m.Contains("could not be converted", StringComparison.Ordinal) && e.Path is not null and not "$" =>
            "The value has the wrong type or is not one of the allowed values.",
        _ => $"Malformed JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}).",
    };

    private static ApiProblemException TooLarge() =>
        new(StatusCodes.Status413PayloadTooLarge, "body-too-large", "Request body too large", $"A request body is at most {MaxBytes / 1024} KiB.");
}
