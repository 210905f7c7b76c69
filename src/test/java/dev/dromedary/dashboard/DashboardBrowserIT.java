package dev.dromedary.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.dromedary.testing.ImportFixture;
import dev.dromedary.testing.RealServices;
import dev.dromedary.testing.RunningDromedary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in headless Chromium (Debian's chromium and chromium-driver; skipped where they are
 * absent): a key typed once, an import created through the form, its progress bar watched to 100 %.
 */
@ExtendWith(RealServices.class)
class DashboardBrowserIT {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    @Test
    void anImportCreatedThroughTheFormShowsItsProgressBarReachingAHundredPercent() throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "headless Chromium is not installed (apt-get install chromium chromium-driver); the dashboard test is skipped");
        RealServices.TestDatabase database = RealServices.freshDatabase();
        try (RunningDromedary dromedary = RunningDromedary.named("dashboard", database)
                .with("BATCH_SIZE_FOR_INSERTION", 100).with("JOB_SAMPLE_SECONDS", 0).start()) {
            // three rows that do not fit, for the dead letters' chart
            String bad = "00000000-0000-4000-8000-0000000000%02d,Bad,Row,bad@example.com,,,,,,,,,many,,,,,,\n";
            new ImportFixture(dromedary, database).upload("dashboard/contacts.csv", ImportFixture.sample("contact", 20_000, 8)
                    + bad.formatted(1) + bad.formatted(2) + bad.formatted(3));
            ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile()).addArguments("--headless",
                    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--window-size=1400,1000",
                    "--user-data-dir=" + Files.createTempDirectory("chromium-"));
            ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).build();
            ChromeDriver browser = new ChromeDriver(service, options);
            try {
                browser.get(dromedary.baseUrl() + "/dashboard/");
                browser.findElement(By.id("api-key")).sendKeys(RunningDromedary.API_KEY);
                browser.findElement(By.cssSelector("#key-form button")).click();
                WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
                // the page redraws its rows every poll: an element found a moment ago may be gone
                wait.ignoring(StaleElementReferenceException.class);
                wait.until(page -> page.findElement(By.id("instance")).getText().equals("instance dashboard"));

                new Select(browser.findElement(By.id("job-type"))).selectByVisibleText("insert_csv_file");
                WebElement data = browser.findElement(By.id("job-data"));
                data.clear();
                data.sendKeys("{\"s3_key\": \"dashboard/contacts.csv\", \"service\": \"contact\"}");
                browser.findElement(By.id("create-job")).click();
                wait.until(page -> page.findElement(By.id("create-result")).getText().startsWith("Created "));
                String uuid = browser.findElement(By.id("create-result")).getAttribute("data-job");

                By bar = By.cssSelector("span.bar[data-job='" + uuid + "']");
                double firstSeen = new WebDriverWait(browser, Duration.ofSeconds(60)).ignoring(StaleElementReferenceException.class).until(page ->
                        page.findElements(bar).isEmpty() ? null : Double.parseDouble(page.findElement(bar).getAttribute("aria-valuenow")));
                new WebDriverWait(browser, Duration.ofMinutes(2)).ignoring(StaleElementReferenceException.class).until(page -> !page.findElements(bar).isEmpty()
                        && page.findElement(bar).getAttribute("aria-valuenow").equals("100"));
                new WebDriverWait(browser, Duration.ofSeconds(10)).ignoring(StaleElementReferenceException.class).until(page -> page.findElement(
                        By.cssSelector("tr[data-job='" + uuid + "'] .status")).getText().equals("completed"));

                assertThat(firstSeen).as("the bar was first seen below 100 %").isLessThan(100);
                eventually(browser, "the import's row, clicked", page -> {
                    page.findElement(By.cssSelector("tr[data-job='" + uuid + "']")).click();
                    return true;
                });
                new WebDriverWait(browser, Duration.ofSeconds(10)).ignoring(StaleElementReferenceException.class).until(page ->
                        page.findElement(By.id("detail-response")).getText().contains("Imported 20000 of 20003 rows into contact"));
                eventually(browser, "the detail's queue and priority", page -> page.findElement(By.id("detail-response")).getText()
                        .contains("\"queue\": \"default\"") && page.findElement(By.id("detail-response")).getText().contains("\"priority\": 0"));
                eventually(browser, "the row's queue", page -> page.findElement(By.cssSelector("tr[data-job='" + uuid + "'] td:nth-child(3)"))
                        .getText().equals("default"));
                new WebDriverWait(browser, Duration.ofSeconds(10)).until(page ->
                        page.findElement(By.id("status-strip")).getText().contains("1 of 1 instances alive · 0 finished jobs pruned"));
                eventually(browser, "the alerts' line", page -> page.findElement(By.id("alerts-rules")).getText()
                        .equals("0 rules · 0 firing"));

                // the run's speed and its dead letters by reason, drawn from its report
                new WebDriverWait(browser, Duration.ofSeconds(10)).ignoring(StaleElementReferenceException.class).until(page ->
                        !page.findElements(By.cssSelector("#speed-chart polyline")).isEmpty()
                                && page.findElement(By.id("speed")).isDisplayed());
                eventually(browser, "a speed line of more than 5 points", page -> page.findElement(By.cssSelector("#speed-chart polyline"))
                        .getAttribute("points").split(" ").length > 5);
                new WebDriverWait(browser, Duration.ofSeconds(10)).ignoring(StaleElementReferenceException.class)
                        .withMessage(() -> "the dead letters' chart: " + browser.findElement(By.id("reasons")).getAttribute("innerHTML"))
                        .until(page -> page.findElements(By.cssSelector("#reasons-chart rect")).size() == 1
                                && page.findElement(By.id("reasons-chart")).getText().contains("employees_count"));
                eventually(browser, "the reason's count", page -> page.findElement(By.id("reasons-chart")).getText().contains("3"));
                eventually(browser, "the report's link", page -> page.findElement(By.id("report-link")).isDisplayed());

                // a dataset_statistics job, its result as a table with bars of the top values
                new Select(browser.findElement(By.id("job-type"))).selectByVisibleText("dataset_statistics");
                data = browser.findElement(By.id("job-data"));
                data.clear();
                data.sendKeys("{\"service\": \"contact\", \"columns\": [\"country\", \"employees_count\", \"email\"]}");
                browser.findElement(By.id("create-job")).click();
                wait.until(page -> page.findElement(By.id("create-result")).getText().startsWith("Created ")
                        && !page.findElement(By.id("create-result")).getAttribute("data-job").equals(uuid));
                String statistics = browser.findElement(By.id("create-result")).getAttribute("data-job");
                new WebDriverWait(browser, Duration.ofMinutes(1)).ignoring(StaleElementReferenceException.class).until(page ->
                        page.findElement(By.cssSelector("tr[data-job='" + statistics + "'] .status")).getText().equals("completed"));
                eventually(browser, "the statistics job's row, clicked", page -> {
                    page.findElement(By.cssSelector("tr[data-job='" + statistics + "']")).click();
                    return true;
                });
                new WebDriverWait(browser, Duration.ofSeconds(10)).ignoring(StaleElementReferenceException.class).until(page ->
                        page.findElements(By.cssSelector("#statistics-table tbody tr")).size() == 3);
                eventually(browser, "the statistics' rows", page -> page.findElement(By.id("statistics-rows")).getText().equals("20000"));
                eventually(browser, "5 bars of country's top values", page ->
                        page.findElements(By.cssSelector("tr[data-column='country'] svg.top-values rect")).size() == 5);
                eventually(browser, "employees_count's range", page ->
                        page.findElement(By.cssSelector("tr[data-column='employees_count']")).getText().contains(" · "));
                new WebDriverWait(browser, Duration.ofSeconds(10)).until(page ->
                        page.findElement(By.id("hourly-caption")).getText().matches("Last 24 hours: [2-9] completed, 0 failed"));
                eventually(browser, "24 hour bars", page -> page.findElements(By.cssSelector("#hourly rect.completed")).size() == 24);

                Path screenshot = Path.of("target", "dashboard.png");
                Files.write(screenshot, ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
                // a page that drew its table, bars and text: a window-wide image of many colours, not a blank one
                java.awt.image.BufferedImage image = javax.imageio.ImageIO.read(screenshot.toFile());
                assertThat(image.getWidth()).isGreaterThanOrEqualTo(1000);
                java.util.Set<Integer> colours = new java.util.HashSet<>();
                for (int x = 0; x < image.getWidth(); x += 7) {
                    for (int y = 0; y < image.getHeight(); y += 7) {
                        colours.add(image.getRGB(x, y));
                    }
                }
                assertThat(colours).as("colours in the screenshot").hasSizeGreaterThan(20);
                assertThat(database.queryLong("SELECT count(*) FROM contacts")).isEqualTo(20_000);
            } finally {
                browser.quit();
            }
        }
    }

    /** Waits until {@code condition} holds: the page redraws every second, so an element read a moment ago may be gone. */
    private static void eventually(ChromeDriver browser, String what, java.util.function.Function<org.openqa.selenium.WebDriver, Boolean> condition) {
        new WebDriverWait(browser, Duration.ofSeconds(10)).ignoring(StaleElementReferenceException.class).withMessage(what)
                .until(condition);
    }
}
