using Npgsql;
using Oversight.Runtime.Messaging;

namespace Oversight.Runtime.TestHost;

/// <summary>
/// A subscriber to deposits that records an effect and cascades a <see cref="Receipt"/>, whose handler records
/// another. Effects have no unique key: a message handled twice leaves two rows.
/// </summary>
public static class ReceiptHandlers
{
    public const string OnDeposit = "deposit-effects";
    public const string OnReceipt = "receipt-effects";

    public static string EffectsTable(string schema) => $"\"{schema}\".effects";

    public static async Task CreateTablesAsync(NpgsqlDataSource dataSource, string schema)
    {
        await using var command = dataSource.CreateCommand(
            $"CREATE TABLE IF NOT EXISTS {EffectsTable(schema)} (handler text NOT NULL, message_id uuid NOT NULL, subject text NOT NULL)");
        await command.ExecuteNonQueryAsync();
    }

    public static HandlerRegistry Register(HandlerRegistry handlers, string schema, TimeSpan delayPerMessage = default)
    {
        handlers.MessageTypes.Register("Receipt", TestModelJson.Default.Receipt).Register("Reminder", TestModelJson.Default.Reminder);
        return handlers
            .Subscribe<Deposited>(OnDeposit, "Deposited", async (deposit, context, cancellationToken) =>
            {
                await RecordAsync(context, schema, deposit.Account, cancellationToken);
                if (delayPerMessage > TimeSpan.Zero) await Task.Delay(delayPerMessage, cancellationToken);
                return [new Receipt(Guid.Parse(context.Headers["eventId"]!), deposit.Account)];
            })
            .Handle<Receipt>(OnReceipt, async (receipt, context, cancellationToken) =>
            {
                await RecordAsync(context, schema, receipt.EventId.ToString(), cancellationToken);
                return [];
            });
    }

    private static async Task RecordAsync(MessageContext context, string schema, string subject, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"INSERT INTO {EffectsTable(schema)} (handler, message_id, subject) VALUES ($1, $2, $3)", context.Connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = context.Handler });
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = context.MessageId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = subject });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
