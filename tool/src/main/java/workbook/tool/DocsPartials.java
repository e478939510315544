package workbook.tool;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import workbook.tool.Manifest.Lesson;

/**
 * Writes the parts of the docs that the manifest owns (the list of lessons, each lesson's tasks,
 * files, hints and live page, and the previous/next links of every page) as AsciiDoc files for the pages to
 * include, so the docs cannot drift from the manifest. The docs build runs it:
 * {@code DocsPartials <workbook root> <output folder>}.
 */
public final class DocsPartials {

    /** A page of the book: its file name without .adoc, and its title in links. */
    record Page(String name, String title) {
        String link() {
            return "xref:" + name + ".adoc[" + title + "]";
        }
    }

    /** The pages before and after the lessons. */
    static final Page INDEX = new Page("index", "Contents");
    static final Page START = new Page("getting-started", "Getting started");
    static final Page NODE = new Page("node-ws-to-jetty", "From Node.js ws to Jetty");

    private DocsPartials() {
    }

    /** Every page in reading order: the contents, getting started, the lessons, the Node.js mapping. */
    static List<Page> pages(Manifest manifest) {
        List<Page> pages = new ArrayList<>(List.of(INDEX, START));
        manifest.lessons().forEach(lesson -> pages.add(new Page(lesson.id(), "Lesson " + lesson.number() + ": " + lesson.title())));
        pages.add(NODE);
        return pages;
    }

    /** The navigation line of the page at {@code i}: back to the contents, previous, next. */
    static String navigation(List<Page> pages, int i) {
        List<String> links = new ArrayList<>();
        if (i > 0) {
            links.add("&#8592; " + pages.get(i - 1).link());
            links.add(INDEX.link());
        }
        if (i < pages.size() - 1) {
            links.add(pages.get(i + 1).link() + " &#8594;");
        }
        return "[.nav]\n" + String.join(" | ", links) + "\n";
    }

    /** How to run the lesson's server and what to try on its live page. */
    static String livePage(Lesson lesson) {
        return """
                Run your server (`--solution` runs the reference one):

                [source,shell]
                ----
                ./workbook serve %d
                ----

                Then open http://localhost:8080/ in a browser: the live page, which every lesson server
                serves next to its WebSocket endpoint. It shows each message as it arrives and the close
                code when the connection ends, and has a box to send text. %s
                """.formatted(lesson.number(), lesson.page());
    }

    public static void main(String[] args) throws IOException {
        Workbook workbook = Workbook.at(Path.of(args[0]));
        Path out = Files.createDirectories(Path.of(args[1]));
        Files.writeString(out.resolve("lessons.adoc"), workbook.manifest().lessons().stream()
                .map(lesson -> ". xref:" + lesson.id() + ".adoc[Lesson " + lesson.number() + ": " + lesson.title()
                        + "] (" + lesson.technique() + ")")
                .collect(Collectors.joining("\n", "", "\n")));
        List<Page> pages = pages(workbook.manifest());
        for (int i = 0; i < pages.size(); i++) {
            Files.writeString(out.resolve(pages.get(i).name() + "-nav.adoc"), navigation(pages, i));
        }
        for (Lesson lesson : workbook.manifest().lessons()) {
            Files.writeString(out.resolve(lesson.id() + "-tasks.adoc"), IntStream.range(0, lesson.tasks().size())
                    .mapToObj(i -> ". " + lesson.tasks().get(i).title() + " (TODO " + (i + 1) + ")")
                    .collect(Collectors.joining("\n", "", "\n")));
            Files.writeString(out.resolve(lesson.id() + "-hints.adoc"), lesson.hints().stream()
                    .map(hint -> ". " + hint)
                    .collect(Collectors.joining("\n", "", "\n")));
            Files.writeString(out.resolve(lesson.id() + "-page.adoc"), livePage(lesson));
            Files.writeString(out.resolve(lesson.id() + "-files.adoc"), lesson.edit().stream()
                    .map(file -> "* `lessons/" + lesson.id() + "/" + file + "`")
                    .collect(Collectors.joining("\n", "", "\n")));
        }
    }
}
