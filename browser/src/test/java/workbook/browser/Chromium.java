package workbook.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static workbook.testkit.Eventually.eventually;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * A headless Chromium for one test, driven by the ChromeDriver that Debian packages with it: no
 * browser or driver is downloaded at test time. {@link LiveLesson} gives each test one.
 */
final class Chromium implements AutoCloseable {

    /** Where Debian's chromium and chromium-driver packages put them; a system property may say otherwise. */
    private static final Path BROWSER = Path.of(System.getProperty("workbook.chromium", "/usr/bin/chromium"));
    private static final Path DRIVER = Path.of(System.getProperty("workbook.chromedriver", "/usr/bin/chromedriver"));

    /** Screenshots of each test's last page, for a look after the run. */
    private static final Path OUTPUT = Path.of("target", "chromium");

    /**
     * Selenium warns at every start that it has no DevTools (CDP) bindings for a Chromium newer than
     * itself. These tests use WebDriver alone, so the warning is noise. A logger's level holds only
     * while something references the logger: hence the field.
     */
    private static final Logger CDP_LOG = Logger.getLogger("org.openqa.selenium.devtools");

    static {
        CDP_LOG.setLevel(Level.SEVERE);
    }

    /** Whether a skip has been announced: Maven counts skipped tests, but shows no reason. */
    private static final AtomicBoolean SKIP_ANNOUNCED = new AtomicBoolean();

    /** The test's name, for its screenshot. */
    private final String name;
    private ChromeDriver driver;
    private Path profile;

    Chromium(String name) {
        this.name = name;
    }

    /**
     * Skips the test when Chromium or its driver is missing, saying why; under CI ({@code CI=true}),
     * which must run the browser tests, fails it instead.
     */
    static void assumeInstalled() {
        String missing = missing();
        if (missing != null) {
            String reason = "No headless Chromium: " + missing + ". Install Debian's chromium and "
                    + "chromium-driver (sudo apt-get install chromium chromium-driver), or name other "
                    + "paths with -Dworkbook.chromium=... -Dworkbook.chromedriver=...";
            if ("true".equals(System.getenv("CI"))) {
                Assertions.fail("CI must run the browser tests. " + reason);
            }
            if (!SKIP_ANNOUNCED.getAndSet(true)) {
                System.err.println("[WARNING] Browser tests skipped. " + reason);
            }
            Assumptions.abort("Browser test skipped. " + reason);
        }
    }

    private static String missing() {
        List<String> missing = new ArrayList<>();
        for (Path program : List.of(BROWSER, DRIVER)) {
            if (!Files.isExecutable(program)) {
                missing.add(program + " not found");
            }
        }
        return missing.isEmpty() ? null : String.join(", ", missing);
    }

    /**
     * Opens {@code page} in the browser, starting it on the first call, and waits until the page's
     * WebSocket is open: the browser has loaded the page before its connection is up.
     */
    LivePage open(URI page) throws IOException {
        if (driver == null) {
            driver = start();
        } else {
            // A second page of the same test goes in a new tab, as a learner would open it.
            driver.switchTo().newWindow(WindowType.TAB);
        }
        driver.get(page.toString());
        LivePage tab = new LivePage(driver, driver.getWindowHandle());
        eventually(() -> assertThat(tab.status()).as("The status of the page at %s once loaded", page).isEqualTo("open"));
        return tab;
    }

    private ChromeDriver start() throws IOException {
        // A fresh profile per browser: nothing carries over from an earlier test or run.
        profile = Files.createTempDirectory("workbook-chromium-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BROWSER.toFile());
        // Headless, as root in a container (hence no sandbox), on a machine with no network but
        // loopback: without the background-networking and component-update flags, Chromium keeps
        // trying to reach Google's servers.
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--window-size=900,720",
                "--disable-background-networking", "--disable-component-update", "--no-first-run",
                "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort()
                .build();
        try {
            return new ChromeDriver(service, options);
        } catch (RuntimeException e) {
            deleteProfile();
            throw e;
        }
    }

    private void deleteProfile() throws IOException {
        try (Stream<Path> files = Files.walk(profile)) {
            files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        }
    }

    /** Where the test's last look at the page goes: target/chromium/Class-method.png. */
    private Path screenshot() throws IOException {
        return Files.createDirectories(OUTPUT).resolve(name + ".png");
    }

    /** Takes a last screenshot of the page, then ends the browser. */
    @Override
    public void close() throws IOException {
        if (driver == null) {
            return;
        }
        try {
            // The last look at the page, whether the test passed or not.
            File screenshot = driver.getScreenshotAs(OutputType.FILE);
            Files.copy(screenshot.toPath(), screenshot(), StandardCopyOption.REPLACE_EXISTING);
        } finally {
            // Ends the browser and its driver, whatever the screenshot did; then its profile can go.
            driver.quit();
            deleteProfile();
        }
    }
}
