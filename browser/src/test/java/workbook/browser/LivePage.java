package workbook.browser;

import java.util.List;
import java.util.Map;

import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.chrome.ChromeDriver;

/** The live page in one browser tab, as a test sees and uses it. */
public final class LivePage {

    /**
     * A line of the page's message list.
     *
     * @param kind {@code in} (pushed by the server), {@code out} (sent from the page) or {@code event}
     * @param label what the page says it is: {@code text}, {@code JSON}, {@code binary, 5 bytes}, {@code open}, {@code close}...
     * @param text what the page shows of it
     */
    public record Line(String kind, String label, String text) {
        @Override
        public String toString() {
            return kind + " [" + label + "] " + text;
        }
    }

    private final ChromeDriver driver;
    private final String tab;

    LivePage(ChromeDriver driver, String tab) {
        this.driver = driver;
        this.tab = tab;
    }

    private ChromeDriver inThisTab() {
        driver.switchTo().window(tab);
        return driver;
    }

    /** The connection's state as the page shows it, e.g. "open" or "closed 1001 going away". */
    public String status() {
        return inThisTab().findElement(By.id("status")).getText();
    }

    /** Every line of the message list, oldest first. */
    public List<Line> lines() {
        // One round trip to the browser for the whole list, rather than one per element.
        @SuppressWarnings("unchecked")
        List<Map<String, String>> lines = (List<Map<String, String>>) inThisTab().executeScript(
                "return Array.from(document.querySelectorAll('#messages li'), li =>"
                        + " ({kind: li.className, label: li.dataset.label, text: li.querySelector('pre').textContent}))");
        return lines.stream().map(line -> new Line(line.get("kind"), line.get("label"), line.get("text"))).toList();
    }

    /** The messages the server pushed, oldest first. */
    public List<Line> received() {
        return lines().stream().filter(line -> line.kind().equals("in")).toList();
    }

    /** Types {@code text} in the box and presses Enter, as a learner would. */
    public void send(String text) {
        inThisTab().findElement(By.id("text")).sendKeys(text, Keys.ENTER);
    }

    /** Runs {@code script} in the page, as if typed in its developer console: the page's WebSocket is {@code socket}. */
    public void console(String script) {
        inThisTab().executeScript(script);
    }

    public void reconnect() {
        inThisTab().findElement(By.id("reconnect")).click();
    }

    /** Replaces the address in the page's WebSocket box, and presses Enter to connect to it. */
    public void connectTo(String address) {
        var box = inThisTab().findElement(By.id("address"));
        box.clear();
        box.sendKeys(address, Keys.ENTER);
    }
}
