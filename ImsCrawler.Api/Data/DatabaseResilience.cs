namespace ImsCrawler.Api.Data;

/// <summary>Registers <see cref="UserDatabase"/>, the request-path retry of transient database faults and the Dapper conventions.</summary>
public static class DatabaseResilience
{
    public const string PipelineName = "ims-database";

    public static IServiceCollection AddUserDatabase(this IServiceCollection services)
    {
        DapperConventions.Register();
        services.AddDatabaseRetryPipeline(PipelineName, TimeSpan.FromMilliseconds(200), typeof(UserDatabase));
        services.AddSingleton<UserDatabase>();
        return services;
    }
}
