using ImsCrawler.Api.Status;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddImsDatabase();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapStatusApi();
app.Run();

public partial class Program;
