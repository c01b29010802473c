using Npgsql;

namespace Oversight.EventStore.Tests.Appending;

public sealed class DataSourceTests
{
    [Theory]
    [InlineData("Host=127.0.0.1;Username=u", 32)]
    [InlineData("Host=127.0.0.1;Username=u;Max Auto Prepare=0", 0)]
    [InlineData("Host=127.0.0.1;Username=u;Max Auto Prepare=5", 5)]
    public void Statements_are_auto_prepared_unless_the_connection_string_says_otherwise(string connectionString, int expected)
    {
        using var dataSource = EventStoreServiceCollectionExtensions.CreateDataSource(connectionString);
        Assert.Equal(expected, new NpgsqlConnectionStringBuilder(dataSource.ConnectionString).MaxAutoPrepare);
    }
}
