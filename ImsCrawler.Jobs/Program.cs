using ImsCrawler.Jobs;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddImsDatabase();
builder.AddImsJobs();

var app = builder.Build();
app.UseRequestLog();
app.MapDefaultEndpoints();
app.Run();
