var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddImsDatabase();

var app = builder.Build();
app.MapDefaultEndpoints();
app.Run();
