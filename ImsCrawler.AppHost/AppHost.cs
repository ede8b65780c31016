using ImsCrawler.AppHost.Jobs;
using ImsCrawler.AppHost.Postgres;
using ImsCrawler.AppHost.Scaling;

var builder = DistributedApplication.CreateBuilder(args);

var database = builder.AddImsPostgres();
var imsdb = database.Resource;
var apiPassword = builder.AddGeneratedSecret("api-db-password");
var jobsPassword = builder.AddGeneratedSecret("jobs-db-password");

// The migrator is the only service that logs in as the owner; it gives the services' logins their passwords.
var migrator = builder.AddProject<Projects.ImsCrawler_Migrator>("migrator")
    .WithArgs("--skip-tablespace")
    .WithReference(imsdb)
    .WithEnvironment("IMS_API_DB_PASSWORD", apiPassword)
    .WithEnvironment("IMS_JOBS_DB_PASSWORD", jobsPassword)
    .WaitFor(imsdb);

// The existing crawler logs in as ims_user (its documented .env) once an operator gives it a password.
if (builder.Configuration["Parameters:crawler-db-password"] is not null)
    migrator.WithEnvironment("IMS_CRAWLER_DB_PASSWORD", builder.AddParameter("crawler-db-password", secret: true));

// Read-only work may go to the read replicas (imsdb-read, when Postgres:ReadReplicas > 0); Api:Replicas processes share
// the one endpoint: the api keeps no state between requests.
var api = builder.AddProject<Projects.ImsCrawler_Api>("api")
    .WithDatabaseLogin(database, ServiceLogins.ApiLogin, apiPassword)
    .WithReadDatabaseLogin(database, ServiceLogins.ApiLogin, apiPassword)
    .WithConfiguredReplicas(ServiceReplicas.ApiKey)
    .WaitForCompletion(migrator)
    .WithHttpHealthCheck("/health")
    .WithExternalHttpEndpoints();

// The first admin key is a generated secret parameter (kept in user secrets, the same on every start, shown in
// the dashboard's Parameters; azd generates and stores it on deploy), so nobody has to read a log to get in.
api.WithEnvironment("Api__BootstrapAdminKey", builder.AddGeneratedSecret("api-admin-key"));

// The engineers' web UI: the first thing a person opens. It reaches the api by service discovery, never the database.
builder.AddProject<Projects.ImsCrawler_Web>("web")
    .WithReference(api)
    .WaitFor(api)
    .WithHttpHealthCheck("/health")
    .WithExternalHttpEndpoints();

// VACUUM needs the tables' owner (before PostgreSQL 17): the one job that uses imsdb-maintenance. Jobs:Replicas
// processes may run: each run takes its job's advisory lock, so one of them does a period's work.
builder.AddProject<Projects.ImsCrawler_Jobs>("jobs")
    .WithDatabaseLogin(database, ServiceLogins.JobsLogin, jobsPassword)
    .WithReference(imsdb, "imsdb-maintenance")
    .WithConfiguredReplicas(ServiceReplicas.JobsKey)
    .WaitForCompletion(migrator)
    .WithHttpHealthCheck("/health")
    .WithJobCommands(imsdb);

builder.Build().Run();
