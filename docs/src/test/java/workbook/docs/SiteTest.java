package workbook.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import workbook.tool.Manifest;
import workbook.tool.Manifest.Lesson;

/**
 * Checks the built book (target/html): a page for every lesson of the manifest, each with its
 * diagram and its neighbours' links, and nothing that reaches off the machine. A missing include or
 * tag already fails the build earlier: the Asciidoctor plugin fails on warnings.
 */
@DisplayName("The built book")
class SiteTest {

    static final Path ROOT = Path.of(System.getProperty("workbook.root", ".."));
    static final Path SITE = Path.of(System.getProperty("site", "target/html"));

    /** src="…", href="…", url(…) or @import that leaves the machine: a scheme, or // alone. */
    static final Pattern EXTERNAL = Pattern.compile(
            "(?:\\b(?:src|href|xlink:href)\\s*=\\s*[\"']|url\\(\\s*[\"']?|@import\\s+[\"'])((?:[a-zA-Z][a-zA-Z+.-]*:)?//[^\"')\\s]*)");

    static List<Lesson> lessons() throws IOException {
        return Manifest.read(ROOT.resolve("lessons/manifest.yaml")).lessons();
    }

    /** CSS and HTML comments: what they name is not loaded. */
    static final Pattern COMMENT = Pattern.compile("/\\*.*?\\*/|<!--.*?-->", Pattern.DOTALL);

    /** This machine: where the pages send a learner to see a lesson server running. */
    static final Pattern LOCALHOST = Pattern.compile("(?:https?|wss?)://localhost[:/].*");

    /** The off-machine addresses that {@code html} loads or links to. */
    static List<String> externalReferences(String html) {
        Matcher matcher = EXTERNAL.matcher(COMMENT.matcher(html).replaceAll(""));
        return matcher.results().map(match -> match.group(1))
                .filter(address -> !LOCALHOST.matcher(address).matches()).toList();
    }

    @Test
    @DisplayName("every lesson of the manifest has a page, with a sequence diagram drawn into it")
    void pagePerLesson() throws IOException {
        for (Lesson lesson : lessons()) {
            Path page = SITE.resolve(lesson.id() + ".html");
            assertThat(page).as("the page of lesson %s (docs/src/%s.adoc)", lesson.id(), lesson.id()).isRegularFile();
            assertThat(Files.readString(page)).as("the diagram in %s", page).contains("<svg");
        }
    }

    @Test
    @DisplayName("every lesson page links to the contents and to its neighbours, in manifest order")
    void navigation() throws IOException {
        List<Lesson> lessons = lessons();
        for (int i = 0; i < lessons.size(); i++) {
            String html = Files.readString(SITE.resolve(lessons.get(i).id() + ".html"));
            String previous = i == 0 ? "getting-started" : lessons.get(i - 1).id();
            String next = i == lessons.size() - 1 ? "node-ws-to-jetty" : lessons.get(i + 1).id();
            assertThat(html).as("the links of %s", lessons.get(i).id())
                    .contains("href=\"index.html\"", "href=\"" + previous + ".html\"", "href=\"" + next + ".html\"");
        }
    }

    @Test
    @DisplayName("no page loads or links anything off the machine")
    void offline() throws IOException {
        try (Stream<Path> files = Files.walk(SITE)) {
            for (Path file : files.filter(path -> path.toString().matches(".*\\.(html|css|svg)")).toList()) {
                assertThat(externalReferences(Files.readString(file))).as("off-machine references in %s", file).isEmpty();
            }
        }
    }

    @Test
    @DisplayName("the offline check finds links off the machine, and only those")
    void offlineCheckWorks() {
        assertThat(externalReferences("""
                <link rel="stylesheet" href="https://fonts.example.com/css">
                <script src="//cdn.example.com/x.js"></script>
                <style>@import "http://example.com/a.css"; body { background: url(https://example.com/b.png) }</style>
                <a href="01-reply.html">local</a> <a href="#tasks">anchor</a> <img src="images/a.svg">
                <a href="http://localhost:8080/">this machine</a> <a href="http://localhost.example.com/">not</a>
                <style>/* @import "https://fonts.example.com/commented-out"; */</style>
                """)).containsExactly("https://fonts.example.com/css", "//cdn.example.com/x.js",
                "http://example.com/a.css", "https://example.com/b.png", "http://localhost.example.com/");
    }
}
