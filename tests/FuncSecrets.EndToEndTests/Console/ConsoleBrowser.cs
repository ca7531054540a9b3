using System.Diagnostics;
using FuncSecrets.IntegrationTests.Support;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;

namespace FuncSecrets.EndToEndTests.Console;

/// <summary>
/// Debian's chromium, headless, driven through Debian's chromium-driver (both installed by
/// scripts/setup.sh; nothing is downloaded), with a fresh profile per browser so no state leaks
/// between tests. Waits poll the page; screenshots go to <c>artifacts/console/</c>.
/// </summary>
public sealed class ConsoleBrowser : IDisposable
{
    public static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(20);

    private readonly ChromeDriver _driver;
    private readonly string _profile;

    public ConsoleBrowser()
    {
        _profile = Directory.CreateTempSubdirectory("funcsecrets-chromium-").FullName;
        var options = new ChromeOptions { BinaryLocation = Locate("FUNCSECRETS_CHROMIUM", "/usr/bin/chromium", "/usr/lib/chromium/chromium") };
        options.AddArguments(
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", "--window-size=1360,1000", $"--user-data-dir={_profile}");
        options.SetLoggingPreference(LogType.Browser, LogLevel.All);
        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(Locate("FUNCSECRETS_CHROMEDRIVER", "/usr/bin/chromedriver"))!, "chromedriver");
        service.SuppressInitialDiagnosticInformation = true;
        service.HideCommandPromptWindow = true;
        _driver = new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
    }

    public IWebDriver Driver => _driver;

    public void Open(Uri url) => _driver.Navigate().GoToUrl(url);

    /// <summary>Signs in on the sign-in form; waits for the form first.</summary>
    public void SignIn(string accessKeyId, string secretAccessKey)
    {
        Type("#access-key-id", accessKeyId);
        Type("#secret-access-key", secretAccessKey);
        Click("#sign-in");
    }

    public IWebElement WaitFor(string css, TimeSpan? timeout = null) =>
        Until(() => _driver.FindElements(By.CssSelector(css)).FirstOrDefault(e => e.Displayed), $"an element {css}", timeout);

    /// <summary>Polls until <paramref name="probe"/> gives a non-null value; fails with what it waited for.</summary>
    public T Until<T>(Func<T?> probe, string what, TimeSpan? timeout = null)
        where T : class
    {
        var clock = Stopwatch.StartNew();
        Exception? last = null;
        while (clock.Elapsed < (timeout ?? DefaultWait))
        {
            try
            {
                if (probe() is { } found)
                {
                    return found;
                }
            }
            catch (Exception error) when (error is StaleElementReferenceException or NoSuchElementException or InvalidOperationException)
            {
                // The page re-rendered under us: look again.
                last = error;
            }

            // Polling a browser we do not control the clock of.
            Thread.Sleep(100);
        }

        throw new TimeoutException($"Waited {(timeout ?? DefaultWait).TotalSeconds} s for {what}; page text:\n{BodyText()}", last);
    }

    public void Click(string css) => WaitFor(css).Click();

    public void Type(string css, string text)
    {
        var element = WaitFor(css);
        element.Clear();
        element.SendKeys(text);
    }

    public string Text(string css) => WaitFor(css).Text;

    public string BodyText()
    {
        try
        {
            return _driver.FindElement(By.TagName("body")).Text;
        }
        catch (WebDriverException)
        {
            return "(no page)";
        }
    }

    public object? Script(string script) => _driver.ExecuteScript(script);

    /// <summary>
    /// Saves a screenshot as artifacts/console/{name}.png and returns its path; with
    /// <paramref name="fullPage"/> the window first grows to the page's whole height.
    /// </summary>
    public string Screenshot(string name, bool fullPage = false)
    {
        var folder = Path.Combine(AzuriteFixture.FindRepositoryRoot(), "artifacts", "console");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, name + ".png");
        var window = _driver.Manage().Window;
        var size = window.Size;
        if (fullPage)
        {
            var height = Convert.ToInt32(Script("return document.documentElement.scrollHeight;"), System.Globalization.CultureInfo.InvariantCulture);
            window.Size = new System.Drawing.Size(size.Width, Math.Min(height + 140, 4000));
        }

        _driver.GetScreenshot().SaveAsFile(path);
        window.Size = size;
        return path;
    }

    /// <summary>
    /// Browser log entries at SEVERE: script errors and Content-Security-Policy violations. The
    /// browser also logs every non-2xx fetch; those answers are the API's, checked by the tests.
    /// </summary>
    public IReadOnlyList<string> SevereLogs() =>
        _driver.Manage().Logs.GetLog(LogType.Browser)
            .Where(entry => entry.Level == LogLevel.Severe && !entry.Message.Contains("the server responded with a status of 400", StringComparison.Ordinal))
            .Select(entry => entry.Message)
            .ToList();

    public void Dispose()
    {
        _driver.Quit();
        _driver.Dispose();
        try
        {
            Directory.Delete(_profile, recursive: true);
        }
        catch (IOException)
        {
            // Chromium may still be letting go of its profile; the temp folder is cleaned later.
        }
    }

    private static string Locate(string variable, params string[] candidates)
    {
        if (Environment.GetEnvironmentVariable(variable) is { Length: > 0 } configured)
        {
            return configured;
        }

        return candidates.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException($"None of {string.Join(", ", candidates)} exists: run scripts/setup.sh (apt: chromium chromium-driver) or set {variable}.");
    }
}
