using System.Data.Common;

namespace Socle.Modules.Loyalty.Ledger;

/// <summary>
/// Writes collected during a group commit and sent together: in one round trip as an ADO.NET batch where the provider
/// supports it (Npgsql), one command after another otherwise (SQLite, in-process).
/// </summary>
internal static class SqlLists
{
    /// <summary>
    /// <c>column IN (…)</c> over a list parameter: Dapper expands the list on SQLite and passes it as an array on PostgreSQL,
    /// where the test is <c>column = ANY(@list)</c>.
    /// </summary>
    public static string In(this Platform.Storage.Database db, string column, string parameter) =>
        db.IsPostgres ? $"{column} = ANY({parameter})" : $"{column} IN {parameter}";
}

internal sealed class SqlWrites
{
    private readonly List<(string Sql, (string Name, object? Value)[] Parameters)> _commands = [];

    public int Count => _commands.Count;

    public void Add(string sql, params (string Name, object? Value)[] parameters) => _commands.Add((sql, parameters));

    public void AddRange(SqlWrites other) => _commands.AddRange(other._commands);

    public async Task ExecuteAsync(DbConnection connection, DbTransaction tx, CancellationToken ct)
    {
        if (_commands.Count == 0)
        {
            return;
        }
        if (connection.CanCreateBatch)
        {
            await using var batch = connection.CreateBatch();
            batch.Transaction = tx;
            foreach (var (sql, parameters) in _commands)
            {
                var command = batch.CreateBatchCommand();
                command.CommandText = sql;
                foreach (var (name, value) in parameters)
                {
                    var p = command.CreateParameter();
                    p.ParameterName = name;
                    p.Value = value ?? DBNull.Value;
                    command.Parameters.Add(p);
                }
                batch.BatchCommands.Add(command);
            }
            await batch.ExecuteNonQueryAsync(ct);
            return;
        }
        foreach (var (sql, parameters) in _commands)
        {
            await using var command = connection.CreateCommand();
            command.Transaction = tx;
            command.CommandText = sql;
            foreach (var (name, value) in parameters)
            {
                var p = command.CreateParameter();
                p.ParameterName = name;
                p.Value = value ?? DBNull.Value;
                command.Parameters.Add(p);
            }
            await command.ExecuteNonQueryAsync(ct);
        }
    }
}
