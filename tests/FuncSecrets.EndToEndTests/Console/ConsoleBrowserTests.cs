using FuncSecrets.EndToEndTests.Support;
using OpenQA.Selenium;

namespace FuncSecrets.EndToEndTests.Console;

/// <summary>
/// The web console (issue 16) in a real browser against the real service process: a user's whole
/// path through it, markup in secrets rendered as text, and the failure paths (a wrong key, a key
/// whose policy denies reads). Screenshots of each page go to artifacts/console/.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class ConsoleBrowserTests(ConsoleFixture fixture) : IClassFixture<ConsoleFixture>
{
    [Fact]
    public void Console_AdministratorKey_CreatesFindsRevealsPutsRotatesAndAudits()
    {
        using var browser = new ConsoleBrowser();
        var name = $"console/e2e-db-{Guid.NewGuid():N}"[..26];
        browser.Open(fixture.ConsoleUrl);
        browser.WaitFor("#access-key-id");
        browser.Screenshot("signin");
        browser.SignIn(ConsoleFixture.AdminKeyId, fixture.AdminSecret);
        browser.WaitFor("#filter-name");

        // Create: a JSON secret with a generated password.
        browser.Click("#create-secret");
        browser.Type("#new-name", name);
        browser.Type("#new-description", "Database login for the e2e app");
        browser.Type("#kv-rows .kv-row .kv-key", "username");
        browser.Type("#kv-rows .kv-row .kv-value", "app_user");
        browser.Click("#add-row");
        browser.Click("#generate-password");
        browser.Until(() => browser.Driver.FindElements(By.CssSelector("#kv-rows .kv-key")).FirstOrDefault(e => e.GetAttribute("value") == "password"), "the generated password row");
        var password = browser.Driver.FindElements(By.CssSelector("#kv-rows .kv-row")).Single(r => r.FindElement(By.CssSelector(".kv-key")).GetAttribute("value") == "password")
            .FindElement(By.CssSelector(".kv-value")).GetAttribute("value");
        Assert.Equal(32, password!.Length);
        browser.Click("#new-add-tag");
        browser.Type("#new-tags .tag-key", "team");
        browser.Type("#new-tags .tag-value", "payments");
        browser.Screenshot("create");
        browser.Click("#create-submit");
        Assert.Equal(name, browser.Text("#secret-name"));

        // Find it in the list by prefix and tag.
        browser.Click(".crumbs a");
        browser.Type("#filter-name", "console/e2e-db-");
        browser.Type("#filter-tag-key", "team");
        browser.Click("#search");
        var link = browser.Until(() => browser.Driver.FindElements(By.CssSelector("a.secret-link")).FirstOrDefault(a => a.Text == name), "the new secret in the list");
        browser.Screenshot("list");
        link.Click();

        // Reveal: a fresh GetSecretValue, shown as a key/value table.
        browser.Click("#reveal-value");
        var pairs = browser.Text("#secret-pairs");
        Assert.Contains("app_user", pairs, StringComparison.Ordinal);
        Assert.Contains(password, pairs, StringComparison.Ordinal);
        var firstVersion = browser.Text(".value-meta .mono");
        browser.Screenshot("detail-revealed");

        // Put a new value: the labels move (AWSCURRENT to the new version, AWSPREVIOUS to the old).
        browser.Click("#put-value");
        browser.Click("#editor-plain");
        browser.Type("#value-plaintext", "second-value-" + Guid.NewGuid().ToString("N"));
        browser.Click("#save-value");
        var labels = browser.Until(() => VersionLabels(browser) is { Count: 2 } found ? found : null, "two versions");
        Assert.Equal("AWSPREVIOUS", labels[firstVersion]);
        var secondVersion = Assert.Single(labels, l => l.Value == "AWSCURRENT").Key;

        // Rotate with the built-in rotator; the rotation finishes in the background.
        browser.Click("#configure-rotation");
        Assert.Equal("funcsecrets:builtin:password", browser.WaitFor("#rotation-function").GetAttribute("value"));
        browser.Click("#save-rotation");
        var rotated = browser.Until(() =>
        {
            var found = VersionLabels(browser);
            if (found.Count == 3 && found[secondVersion] == "AWSPREVIOUS" && found.Any(l => l.Value == "AWSCURRENT" && l.Key != secondVersion))
            {
                return found;
            }

            browser.Driver.FindElements(By.CssSelector("#refresh-secret")).FirstOrDefault()?.Click();
            Thread.Sleep(500);
            return null;
        }, "the rotation to move AWSCURRENT", TimeSpan.FromSeconds(60));
        Assert.Equal("AWSCURRENT", Assert.Single(rotated, l => l.Key != firstVersion && l.Key != secondVersion).Value);
        Assert.Contains("Enabled", browser.Text("#app"), StringComparison.Ordinal);

        // The resource policy editor validates through the service.
        browser.Until(() =>
        {
            // A refresh still in flight from the polling above may redraw the page: click again then.
            if (browser.Driver.FindElements(By.CssSelector("#policy-message")).FirstOrDefault() is { } shown && shown.Text.Contains("passed validation", StringComparison.Ordinal))
            {
                return shown.Text;
            }

            browser.Driver.FindElements(By.CssSelector("#validate-policy")).FirstOrDefault()?.Click();
            Thread.Sleep(500);
            return null;
        }, "the policy to pass validation");
        browser.Screenshot("detail", fullPage: true);

        // The audit trail of this secret, newest first.
        browser.Click("#open-audit");
        var events = browser.Until(() =>
        {
            var names = browser.Driver.FindElements(By.CssSelector("tr.event-row")).Select(r => r.GetAttribute("data-event")).ToList();
            if (new[] { "CreateSecret", "GetSecretValue", "PutSecretValue", "RotateSecret" }.All(names.Contains))
            {
                return names;
            }

            browser.Driver.FindElements(By.CssSelector("#audit-refresh")).FirstOrDefault()?.Click();
            Thread.Sleep(500);
            return null;
        }, "the audit records of the calls above");
        Assert.Equal("CreateSecret", events[^1]);
        Assert.True(events.IndexOf("RotateSecret") < events.IndexOf("PutSecretValue"), string.Join(", ", events));
        browser.Screenshot("audit");

        // Nothing was written anywhere but the tab's session, and never into the URL.
        Assert.Equal(0L, browser.Script("return localStorage.length;"));
        Assert.DoesNotContain(password, browser.Driver.Url, StringComparison.Ordinal);
        Assert.Empty(browser.SevereLogs());

        browser.Click("#sign-out");
        browser.WaitFor("#access-key-id");
        Assert.Equal(0L, browser.Script("return sessionStorage.length;"));
    }

    [Fact]
    public async Task Console_SecretHoldingMarkup_RendersItAsText()
    {
        var name = $"console-markup-{Guid.NewGuid():N}"[..24];
        const string script = "<script>window.__xss='script'</script>";
        const string image = "\"><img src=x onerror=\"window.__xss='img'\">";
        var value = $$"""{"{{"<b>key</b>"}}":"{{script.Replace("\"", "\\\"", StringComparison.Ordinal)}}","attr":"{{image.Replace("\"", "\\\"", StringComparison.Ordinal)}}"}""";
        await fixture.AdminCallAsync("CreateSecret", System.Text.Json.JsonSerializer.Serialize(new
        {
            Name = name,
            ClientRequestToken = Guid.NewGuid().ToString(),
            Description = image,
            SecretString = value,
            Tags = new[] { new { Key = "html", Value = script } },
        }));

        using var browser = new ConsoleBrowser();
        browser.Open(new Uri(fixture.ConsoleUrl, $"#/secret/{Uri.EscapeDataString(name)}"));
        browser.SignIn(ConsoleFixture.AdminKeyId, fixture.AdminSecret);
        browser.Click("#reveal-value");
        var cells = browser.WaitFor("#secret-pairs").FindElements(By.CssSelector("td.mono")).Select(c => c.Text).ToList();
        Assert.Contains("<b>key</b>", cells);
        Assert.Contains(script, cells);
        Assert.Contains(image, cells);
        Assert.Contains(image, browser.Text("#app"), StringComparison.Ordinal);
        browser.Click("#show-plaintext");
        Assert.Equal(value, browser.Text("#secret-plaintext"));

        // Nothing was parsed as markup, nothing ran, and the page refuses HTML sinks outright.
        Assert.Equal(0L, browser.Script("return document.querySelectorAll('#app img, #app script, #app b').length;"));
        Assert.Equal("undefined", browser.Script("return typeof window.__xss;"));

        // Deletion state: schedule it, see the banner (and the description still as text), restore.
        browser.Click("#delete-secret");
        browser.Type("#recovery-days", "7");
        browser.Click("#confirm-delete");
        Assert.Contains("Scheduled for deletion", browser.Text("#deletion-banner"), StringComparison.Ordinal);
        Assert.Contains(image, browser.Text("#app"), StringComparison.Ordinal);
        browser.Click("#restore-secret");
        browser.WaitFor("#reveal-value");
        Assert.Empty(browser.Driver.FindElements(By.CssSelector("#deletion-banner")));
        Assert.Equal(0L, browser.Script("return document.querySelectorAll('#app img, #app script, #app b').length;"));
        Assert.Equal("undefined", browser.Script("return typeof window.__xss;"));
        Assert.Empty(browser.SevereLogs());
        Assert.Equal("TypeError", browser.Script("try { document.getElementById('app').innerHTML = '<img src=x>'; return 'assigned'; } catch (e) { return e.name; }"));
    }

    [Fact]
    public void Console_WrongSecretOrUnknownKey_StaysSignedOutWithTheAwsError()
    {
        using var browser = new ConsoleBrowser();
        browser.Open(fixture.ConsoleUrl);
        browser.SignIn(ConsoleFixture.AdminKeyId, "not-the-secret");
        Assert.Contains("InvalidSignatureException", browser.Text(".alert-error"), StringComparison.Ordinal);
        Assert.Equal(0L, browser.Script("return sessionStorage.length;"));
        browser.Screenshot("signin-wrong-key");

        browser.SignIn("AKIAUNKNOWNKEY000000", "whatever");
        browser.Until(() => browser.Text(".alert-error").Contains("UnrecognizedClientException", StringComparison.Ordinal) ? "shown" : null, "UnrecognizedClientException");
        Assert.Equal(0L, browser.Script("return sessionStorage.length;"));
        browser.WaitFor("#access-key-id");
    }

    [Fact]
    public async Task Console_KeyWhosePolicyDeniesReads_ListsButCannotRevealOrAudit()
    {
        var name = $"console-denied-{Guid.NewGuid():N}"[..24];
        await fixture.AdminCallAsync("CreateSecret", $$"""{"Name":"{{name}}","ClientRequestToken":"{{Guid.NewGuid()}}","SecretString":"not-for-browse-only"}""");

        using var browser = new ConsoleBrowser();
        browser.Open(fixture.ConsoleUrl);
        browser.SignIn(ConsoleFixture.ReaderKeyId, fixture.ReaderSecret);
        browser.Type("#filter-name", name);
        browser.Click("#search");
        browser.Until(() => browser.Driver.FindElements(By.CssSelector("a.secret-link")).FirstOrDefault(a => a.Text == name), "the secret in the list").Click();

        browser.Click("#reveal-value");
        var denied = browser.Text("#secret-value .alert-error");
        Assert.Contains("AccessDeniedException", denied, StringComparison.Ordinal);
        Assert.Contains($"User: {ConsoleFixture.ReaderPrincipal} is not authorized to perform: secretsmanager:GetSecretValue", denied, StringComparison.Ordinal);
        Assert.DoesNotContain("not-for-browse-only", browser.BodyText(), StringComparison.Ordinal);
        browser.Screenshot("detail-denied");

        browser.Click("#open-audit");
        var auditDenied = browser.Text("#audit-results .alert-error");
        Assert.Contains("AccessDeniedException", auditDenied, StringComparison.Ordinal);
        Assert.Contains("cloudtrail:LookupEvents", auditDenied, StringComparison.Ordinal);
    }

    /// <summary>Version id → its labels (joined), from the versions table.</summary>
    private static Dictionary<string, string> VersionLabels(ConsoleBrowser browser) =>
        browser.Driver.FindElements(By.CssSelector("#versions tr[data-version]"))
            .ToDictionary(row => row.GetAttribute("data-version")!, row => string.Join(",", row.FindElements(By.CssSelector(".badge")).Select(b => b.Text)));
}
