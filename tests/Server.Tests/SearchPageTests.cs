using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Support.UI;

namespace SearchRerank.Server.Tests;

/// <summary>
/// The search page in a real browser: Debian's Chromium, headless, driven through chromium-driver (installed by
/// scripts/setup.sh). A person types a query, sees BM25 and the re-ranked list side by side with marked passages,
/// picks a judged query and sees its relevant hit marked, and opens a hit's explanation.
/// </summary>
public sealed class SearchPageTests(RunningService service) : IClassFixture<RunningService>
{
    private static ChromeDriver StartBrowser()
    {
        foreach (var program in new[] { "/usr/bin/chromium", "/usr/bin/chromedriver" })
            Assert.True(File.Exists(program), $"{program} is missing: run scripts/setup.sh as root (apt-get install chromium chromium-driver)");
        var driverService = ChromeDriverService.CreateDefaultService("/usr/bin", "chromedriver");
        driverService.HideCommandPromptWindow = true;
        var options = new ChromeOptions { BinaryLocation = "/usr/bin/chromium" };
        options.AddArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1300,1000");
        return new ChromeDriver(driverService, options, TimeSpan.FromSeconds(60));
    }

    [Fact]
    public void A_query_shows_both_rankings_with_marked_passages_relevance_and_explanations()
    {
        using var browser = StartBrowser();
        var wait = new WebDriverWait(browser, TimeSpan.FromSeconds(30));
        browser.Navigate().GoToUrl(service.Client.BaseAddress!);
        wait.Until(d => d.FindElements(By.CssSelector("#index option")).Count == 1);

        var box = browser.FindElement(By.Id("query"));
        box.SendKeys("aspirin heart attack");
        box.SendKeys(Keys.Enter);
        wait.Until(d => d.FindElements(By.CssSelector("#bm25 li")).Count == 10 && d.FindElements(By.CssSelector("#reranked li")).Count == 10);
        var first = browser.FindElement(By.CssSelector("#bm25 li"));
        Assert.Equal("d3", first.GetDomAttribute("data-docid"));
        Assert.Equal("Aspirin and heart attacks", first.FindElement(By.CssSelector(".title")).Text);
        Assert.Contains("aspirin", first.FindElements(By.CssSelector(".snippet mark")).Select(m => m.Text.ToLowerInvariant()));
        Assert.Contains("CE ", browser.FindElement(By.CssSelector("#reranked li .meta")).Text);

        browser.FindElement(By.CssSelector("#judged option[value='q1']")).Click();
        wait.Until(d => d.FindElements(By.CssSelector("#bm25 li.relevant")).Count == 1);
        Assert.Equal("d3", browser.FindElement(By.CssSelector("#bm25 li.relevant")).GetDomAttribute("data-docid"));
        Assert.Contains("relevant (2)", browser.FindElement(By.CssSelector("#bm25 li.relevant .meta")).Text);

        var why = browser.FindElement(By.CssSelector("#reranked li details"));
        why.FindElement(By.TagName("summary")).Click();
        wait.Until(_ => why.FindElement(By.TagName("pre")).Displayed);
        Assert.Contains("first stage (rank", why.FindElement(By.TagName("pre")).Text);
    }
}
