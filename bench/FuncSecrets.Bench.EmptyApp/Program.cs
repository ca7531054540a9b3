// An empty ASP.NET Core app: CreateSlimBuilder and one MapGet, listening where the benchmark says
// (FuncSecrets__Urls, as it tells the server). The start-up phase times it beside both hosting shapes.
var builder = WebApplication.CreateSlimBuilder(args);
builder.WebHost.UseUrls(builder.Configuration["FuncSecrets:Urls"] ?? "http://127.0.0.1:0");
var app = builder.Build();
app.MapGet("/", () => "ok");
app.Run();
