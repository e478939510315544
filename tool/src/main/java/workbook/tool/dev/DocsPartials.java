package workbook.tool.dev;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import workbook.tool.Manifest;
import workbook.tool.Manifest.Lesson;
import workbook.tool.Mistakes;
import workbook.tool.Mistakes.Mistake;
import workbook.tool.Workbook;

/**
 * Writes the parts of the docs that the manifest owns (the list of lessons, each lesson's tasks,
 * files, hints and live page, and the previous/next links of every page), and each lesson's common
 * mistakes from its corpus ({@link Mistakes}), as AsciiDoc files for the pages to include, so the
 * docs cannot drift from either. The docs build runs it:
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
    static final Page SPEED = new Page("broadcast-speed", "How fast is a broadcast?");

    private DocsPartials() {
    }

    /** Every page in reading order: the contents, getting started, the lessons, the Node.js mapping, the speed page. */
    static List<Page> pages(Manifest manifest) {
        List<Page> pages = new ArrayList<>(List.of(INDEX, START));
        manifest.lessons().forEach(lesson -> pages.add(new Page(lesson.id(), lesson.name())));
        pages.add(NODE);
        pages.add(SPEED);
        return pages;
    }

    /** The navigation line of the page at {@code i}: previous, back to the contents (unless that is the previous), next. */
    static String navigation(List<Page> pages, int i) {
        List<String> links = new ArrayList<>();
        if (i > 0) {
            links.add("&#8592; " + pages.get(i - 1).link());
        }
        if (i > 1) {
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

                Then open http://localhost:%d/ in a browser: the live page, which every lesson server
                serves next to its WebSocket endpoint. It shows each message as it arrives and the close
                code when the connection ends, and has a box to send text. %s
                """.formatted(lesson.number(), Manifest.DEFAULT_PORT, lesson.page(Manifest.DEFAULT_PORT));
    }

    /** A part of a text between backticks: code. */
    static final Pattern CODE = Pattern.compile("`([^`]+)`");

    /**
     * Text written for the terminal (a hint, a mistake's title or why) as AsciiDoc that shows it
     * exactly as written: parts between backticks in monospace, without the backticks, and no other
     * character read as markup, so that {@code ((…))} is no index term, {@code ->} no arrow and
     * {@code x::} no description list. It is one passthrough of HTML, the book's only backend, in
     * which the characters that could end the passthrough ({@code ]}, {@code \}) or make its line
     * a term ({@code :}, {@code ;}) are character references. Line breaks become spaces.
     */
    static String literal(String text) {
        String line = text.strip().replaceAll("\\s+", " ");
        StringBuilder html = new StringBuilder("pass:[");
        Matcher code = CODE.matcher(line);
        int from = 0;
        while (code.find()) {
            html.append(escape(line.substring(from, code.start())))
                    .append("<code>").append(escape(code.group(1))).append("</code>");
            from = code.end();
        }
        return html.append(escape(line.substring(from))).append("]").toString();
    }

    /** {@code text} for HTML, with the characters that AsciiDoc could read in a passthrough's line as references. */
    static String escape(String text) {
        StringBuilder escaped = new StringBuilder();
        text.codePoints().forEach(c -> {
            switch (c) {
                case '&' -> escaped.append("&amp;");
                case '<' -> escaped.append("&lt;");
                case '>' -> escaped.append("&gt;");
                case ']', '\\', ':', ';' -> escaped.append("&#").append(c).append(';');
                default -> escaped.appendCodePoint(c);
            }
        });
        return escaped.toString();
    }

    /** A delimiter of {@code c} for a block holding {@code content}: longer than any such line in it. */
    static String fence(char c, String content) {
        int longest = content.lines().filter(line -> !line.isEmpty() && line.chars().allMatch(ch -> ch == c))
                .mapToInt(String::length).max().orElse(0);
        return String.valueOf(c).repeat(Math.max(4, longest + 1));
    }

    /** {@code content} in a block folded away, closed until the reader opens it: a {@code <details>}. */
    static String folded(String title, String content) {
        String fence = fence('=', content);
        return "." + title + "\n[%collapsible]\n" + fence + "\n" + content + fence + "\n";
    }

    /** The hints, each folded away, so that a reader opens one at a time, as ./workbook hint gives them. */
    static String hints(Lesson lesson) {
        return IntStream.range(0, lesson.hints().size())
                .mapToObj(i -> folded("Hint " + (i + 1) + " of " + lesson.hints().size(), literal(lesson.hints().get(i)) + "\n"))
                .collect(Collectors.joining("\n"));
    }

    /** The solution's callout markers, {@code // <1>}, which mean nothing in a mistake's code. */
    static final Pattern CALLOUT = Pattern.compile("[ \t]*// <\\d+>");

    static final Pattern LEADING_BLANK_LINES = Pattern.compile("\\A(?:[ \t]*\n)+");

    /**
     * A piece of Java from an edit, as a source block under a title, without the indentation that
     * all its lines share. (Without trailing blanks first: {@code stripIndent} counts a blank last
     * line, and an edit's text usually ends with a line break.)
     */
    static String source(String title, String code) {
        String lines = LEADING_BLANK_LINES.matcher(CALLOUT.matcher(code).replaceAll("")).replaceFirst("")
                .stripTrailing().stripIndent() + "\n";
        String fence = fence('-', lines);
        return "." + title + "\n[source,java]\n" + fence + "\n" + lines + fence + "\n";
    }

    /** The code of a mistake: what each edit puts in place of the reference code, or leaves out. */
    static String mistakenCode(Mistake mistake) {
        return mistake.edits().stream().map(edit -> {
            String file = literal(Path.of(edit.file()).getFileName().toString());
            return edit.with().isBlank()
                    ? source(file + ", with this left out", edit.replace())
                    : source(file, edit.with());
        }).collect(Collectors.joining("\n"));
    }

    /**
     * A lesson's common mistakes, from its corpus: for each, its title, why it goes wrong, its code
     * folded away, and what the check says about it.
     */
    static String mistakes(Mistakes corpus) {
        if (corpus.mistakes().isEmpty()) {
            return "No known mistakes are recorded for this lesson yet.\n";
        }
        return corpus.mistakes().stream().map(mistake -> {
            String verdict = mistake.verdict().stripTrailing() + "\n";
            String fence = fence('.', verdict);
            return literal(mistake.title()) + "::\n" + literal(mistake.why()) + "\n+\n"
                    + folded(mistake.edits().stream().anyMatch(edit -> edit.with().isBlank())
                            ? "Show the mistaken code (it shows the reference code it leaves out)" : "Show the mistaken code",
                            mistakenCode(mistake)) + "+\n"
                    + "`./workbook check` says:\n+\n"
                    + fence + "\n" + verdict + fence + "\n";
        }).collect(Collectors.joining("\n"));
    }

    public static void main(String[] args) throws IOException {
        Workbook workbook = Workbook.at(Path.of(args[0]));
        Path out = Files.createDirectories(Path.of(args[1]));
        Files.writeString(out.resolve("lessons.adoc"), workbook.manifest().lessons().stream()
                .map(lesson -> ". xref:" + lesson.id() + ".adoc[" + lesson.name() + "] (" + lesson.technique() + ")")
                .collect(Collectors.joining("\n", "", "\n")));
        List<Page> pages = pages(workbook.manifest());
        for (int i = 0; i < pages.size(); i++) {
            Files.writeString(out.resolve(pages.get(i).name() + "-nav.adoc"), navigation(pages, i));
        }
        for (Lesson lesson : workbook.manifest().lessons()) {
            Files.writeString(out.resolve(lesson.id() + "-tasks.adoc"), IntStream.range(0, lesson.tasks().size())
                    .mapToObj(i -> ". " + lesson.tasks().get(i).title() + " (TODO " + (i + 1) + ")")
                    .collect(Collectors.joining("\n", "", "\n")));
            Files.writeString(out.resolve(lesson.id() + "-hints.adoc"), hints(lesson));
            Files.writeString(out.resolve(lesson.id() + "-mistakes.adoc"),
                    mistakes(workbook.mistakes(lesson)));
            Files.writeString(out.resolve(lesson.id() + "-page.adoc"), livePage(lesson));
            Files.writeString(out.resolve(lesson.id() + "-files.adoc"), lesson.edit().stream()
                    .map(file -> "* `lessons/" + lesson.id() + "/" + file + "`")
                    .collect(Collectors.joining("\n", "", "\n")));
        }
    }
}
