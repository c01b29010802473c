using Npgsql;
using NpgsqlTypes;
using Oversight.Persistence.Projections;
using Weasel.Postgresql;

namespace Oversight.Persistence.Tests.Projections;

/// <summary>
/// Our statements enter Marten's batch through Weasel's command builder, which numbers parameters itself: every <c>$n</c>
/// becomes the next parameter of the new command, in the order the text uses them, with its value and explicit type.
/// </summary>
public sealed class BatchCommandOperationTests
{
    [Fact]
    public void Placeholders_are_renumbered_in_order_of_use_with_their_values_and_types()
    {
        var command = new NpgsqlBatchCommand("SELECT $2, $1 || '$x', $1, $10 FROM t WHERE a = $$ AND b = $3")
        {
            Parameters =
            {
                new NpgsqlParameter<string> { TypedValue = "one" },
                new NpgsqlParameter<int> { TypedValue = 2 },
                new NpgsqlParameter { Value = DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text },
                new NpgsqlParameter<int> { TypedValue = 4 }, new NpgsqlParameter<int> { TypedValue = 5 }, new NpgsqlParameter<int> { TypedValue = 6 },
                new NpgsqlParameter<int> { TypedValue = 7 }, new NpgsqlParameter<int> { TypedValue = 8 }, new NpgsqlParameter<int> { TypedValue = 9 },
                new NpgsqlParameter<long> { TypedValue = 10L },
            },
        };

        // Twice: the second use comes from the parsed statement kept for its text.
        for (var use = 0; use < 2; use++)
        {
            var builder = new BatchBuilder();
            new BatchCommandOperation(command).ConfigureCommand(builder, null!);
            var batch = builder.Compile();
            Assert.Single(batch.BatchCommands);
            var compiled = batch.BatchCommands[0];

            Assert.Equal("SELECT $1, $2 || '$x', $3, $4 FROM t WHERE a = $$ AND b = $5", compiled.CommandText);
            Assert.Equal(new object[] { 2, "one", "one", 10L, DBNull.Value }, compiled.Parameters.Cast<NpgsqlParameter>().Select(p => p.Value).ToArray());
            Assert.Equal(NpgsqlDbType.Text, compiled.Parameters[4].NpgsqlDbType);
        }
    }
}
