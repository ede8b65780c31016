using ImsCrawler.AppHost.Jobs;
using ImsCrawler.AppHost.Postgres;

var builder = DistributedApplication.CreateBuilder(args);

var imsdb = builder.AddImsPostgres();

var migrator = builder.AddProject<Projects.ImsCrawler_Migrator>("migrator")
    .WithArgs("--skip-tablespace")
    .WithReference(imsdb)
    .WaitFor(imsdb);

var api = builder.AddProject<Projects.ImsCrawler_Api>("api")
    .WithReference(imsdb)
    .WaitForCompletion(migrator)
    .WithHttpHealthCheck("/health")
    .WithExternalHttpEndpoints();

// A deployment cannot read the log for the first admin key, so it gets it as a secret parameter;
// locally the api prints one on first start unless the parameter is set.
if (builder.ExecutionContext.IsPublishMode || builder.Configuration["Parameters:api-admin-key"] is not null)
    api.WithEnvironment("Api__BootstrapAdminKey", builder.AddParameter("api-admin-key", secret: true));

// The engineers' web UI: the first thing a person opens. It reaches the api by service discovery, never the database.
builder.AddProject<Projects.ImsCrawler_Web>("web")
    .WithReference(api)
    .WaitFor(api)
    .WithHttpHealthCheck("/health")
    .WithExternalHttpEndpoints();

builder.AddProject<Projects.ImsCrawler_Jobs>("jobs")
    .WithReference(imsdb)
    .WaitForCompletion(migrator)
    .WithHttpHealthCheck("/health")
    .WithJobCommands(imsdb);

builder.Build().Run();
