namespace Microsoft.Extensions.Hosting;

public static class ImsDatabaseExtensions
{
    /// <summary>
    /// Registers the IMS database as an <see cref="Npgsql.NpgsqlDataSource"/> with Aspire's Npgsql integration
    /// (health check, logging, traces, metrics), from <c>ConnectionStrings:imsdb</c> or the DATABASE_* variables.
    /// </summary>
    public static TBuilder AddImsDatabase<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        var connectionString = ImsDatabaseConnection.Resolve(builder.Configuration);
        builder.AddNpgsqlDataSource(
            ImsDatabaseConnection.ConnectionName,
            settings => settings.ConnectionString = connectionString);
        return builder;
    }
}
