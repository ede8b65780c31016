using ImsCrawler.AppHost.Jobs;
using ImsCrawler.AppHost.Postgres;

var builder = DistributedApplication.CreateBuilder(args);

var imsdb = builder.AddImsPostgres();

var migrator = builder.AddProject<Projects.ImsCrawler_Migrator>("migrator")
    .WithArgs("--skip-tablespace")
    .WithReference(imsdb)
    .WaitFor(imsdb);

builder.AddProject<Projects.ImsCrawler_Api>("api")
    .WithReference(imsdb)
    .WaitForCompletion(migrator)
    .WithHttpHealthCheck("/health")
    .WithExternalHttpEndpoints();

builder.AddProject<Projects.ImsCrawler_Jobs>("jobs")
    .WithReference(imsdb)
    .WaitForCompletion(migrator)
    .WithHttpHealthCheck("/health")
    .WithJobCommands(imsdb);

builder.Build().Run();
