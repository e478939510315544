package workbook.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import workbook.tool.CodeLines;
import workbook.tool.Manifest.Lesson;
import workbook.tool.Mistakes;
import workbook.tool.Mistakes.Mistake;
import workbook.tool.Workbook;

/**
 * Checks the built book (target/html): a page for every lesson of the manifest, each with its
 * diagram and its neighbours' links, no reference code in sight until the learner opens it, no
 * markup left unrendered, and nothing that reaches off the machine. A missing include or tag
 * already fails the build earlier: the Asciidoctor plugin fails on warnings.
 */
@DisplayName("The built book")
class SiteTest {

    static final Path ROOT = Path.of(System.getProperty("workbook.root", ".."));
    static final Path SITE = Path.of(System.getProperty("site", "target/html"));

    /** src="…", href="…", url(…) or @import that leaves the machine: a scheme, or // alone. */
    static final Pattern EXTERNAL = Pattern.compile(
            "(?:\\b(?:src|href|xlink:href)\\s*=\\s*[\"']|url\\(\\s*[\"']?|@import\\s+[\"'])((?:[a-zA-Z][a-zA-Z+.-]*:)?//[^\"')\\s]*)");

    static Workbook workbook() throws IOException {
        return Workbook.at(ROOT);
    }

    static List<Lesson> lessons() throws IOException {
        return workbook().manifest().lessons();
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

    @Test
    @DisplayName("no lesson page shows reference code unless the learner opens it")
    void answersFolded() throws IOException {
        Workbook workbook = workbook();
        Map<String, List<String>> shown = new TreeMap<>();
        Map<String, List<String>> missing = new TreeMap<>();
        for (Lesson lesson : workbook.manifest().lessons()) {
            List<String> answers = answerLines(workbook, lesson);
            assertThat(answers).as("the lines that solve lesson %s", lesson.id()).isNotEmpty();
            String html = Files.readString(SITE.resolve(lesson.id() + ".html"));
            String visible = visibleText(html);
            String all = text(html);
            List<String> seen = answers.stream().filter(visible::contains).toList();
            if (!seen.isEmpty()) {
                shown.put(lesson.id() + ".html", seen);
            }
            List<String> gone = answers.stream().filter(answer -> !all.contains(answer)).toList();
            if (!gone.isEmpty()) {
                missing.put(lesson.id() + ".html", gone);
            }
        }
        assertThat(shown).as("lines of the reference code on the pages, outside a closed <details>").isEmpty();
        // Folded, not dropped: the learner who opens the blocks finds the whole reference code.
        assertThat(missing).as("lines of the reference code that the pages do not have at all").isEmpty();
    }

    @Test
    @DisplayName("no hint is a line of the reference code")
    void hintsLeaveWork() throws IOException {
        Workbook workbook = workbook();
        Map<String, List<String>> given = new TreeMap<>();
        for (Lesson lesson : workbook.manifest().lessons()) {
            List<String> answers = answerLines(workbook, lesson);
            for (int i = 0; i < lesson.hints().size(); i++) {
                // The terminal prints a hint's backticks as they are; the book renders them as code.
                String text = lesson.hints().get(i).replace("`", "").replaceAll("\\s+", " ");
                List<String> seen = answers.stream().filter(text::contains).toList();
                if (!seen.isEmpty()) {
                    given.put(lesson.id() + " hint " + (i + 1), seen);
                }
            }
        }
        assertThat(given).as("lines of the reference code in the manifest's hints").isEmpty();
    }

    @Test
    @DisplayName("no hint's code is a statement or expression of the reference, however the reference breaks its lines")
    void hintsLeaveStatements() throws IOException {
        Workbook workbook = workbook();
        Map<String, List<String>> given = new TreeMap<>();
        for (Lesson lesson : workbook.manifest().lessons()) {
            List<String> answers = answerStatements(workbook, lesson);
            for (int i = 0; i < lesson.hints().size(); i++) {
                Matcher code = CODE_SPAN.matcher(lesson.hints().get(i));
                while (code.find()) {
                    String span = compact(code.group(1)).replaceAll(";$", "");
                    if (span.length() >= HINT_CODE_MIN && answers.stream().anyMatch(answer -> givesAway(span, answer))) {
                        given.computeIfAbsent(lesson.id() + " hint " + (i + 1), hint -> new ArrayList<>()).add(span);
                    }
                }
            }
        }
        assertThat(given).as("code in the manifest's hints that the reference has, word for word").isEmpty();
    }

    /** A span of code in a hint: the text between backticks. */
    static final Pattern CODE_SPAN = Pattern.compile("`([^`]+)`");

    /** Code shorter than this is a name or a call, not an answer: {@code Callback.from(...)}. */
    static final int HINT_CODE_MIN = 30;

    /**
     * Whether a hint's code hands over an expression of the answer, most of one of its statements:
     * a call's name, or a call with one argument, is a hint; calls nested in calls, or a lambda,
     * as the reference writes them, are the answer.
     */
    static boolean givesAway(String span, String answer) {
        boolean expression = span.contains("->") || span.contains("::") || span.chars().filter(c -> c == '(').count() >= 2;
        return expression && answer.contains(span) && span.length() * 2 >= answer.length();
    }

    /**
     * The statements that solve a lesson: those of its reference files that are not in the stub's,
     * with their line breaks folded and the spaces around punctuation dropped (see {@link #compact}).
     */
    static List<String> answerStatements(Workbook workbook, Lesson lesson) throws IOException {
        List<String> answers = new ArrayList<>();
        for (String file : lesson.edit()) {
            Set<String> stub = new HashSet<>(statements(workbook.lessonDir(lesson).resolve(file)));
            statements(workbook.solutionDir(lesson).resolve(file)).stream().filter(statement -> !stub.contains(statement))
                    .forEach(answers::add);
        }
        return answers;
    }

    private static List<String> statements(Path file) throws IOException {
        return List.of(compact(String.join(" ", code(Files.readAllLines(file)))).split("[;{}]"));
    }

    /** Code with the spaces around punctuation dropped, so that a hint's spacing does not matter. */
    static String compact(String code) {
        return code.strip().replaceAll("\\s+", " ").replaceAll("\\s*([(){}\\[\\];,.=+\\-*/<>!&|?:])\\s*", "$1");
    }

    static final Pattern SECTION_TITLE = Pattern.compile("<h2\\b[^>]*>(.*?)</h2>", Pattern.DOTALL);

    @Test
    @DisplayName("every lesson page has a section per task, headed as the manifest and the verdict name the task")
    void taskHeadings() throws IOException {
        Map<String, String> missing = new TreeMap<>();
        for (Lesson lesson : lessons()) {
            String html = Files.readString(SITE.resolve(lesson.id() + ".html"));
            // Asciidoctor curls an apostrophe; the manifest and the terminal keep it straight.
            List<String> headings = SECTION_TITLE.matcher(html).results()
                    .map(heading -> text(heading.group(1)).replace('\u2019', '\'')).toList();
            for (int i = 0; i < lesson.tasks().size(); i++) {
                String name = "Task " + (i + 1) + ": " + lesson.tasks().get(i).title();
                if (!headings.contains(name)) {
                    missing.put(lesson.id() + " task " + (i + 1), name);
                }
            }
        }
        assertThat(missing).as("task sections to head with the manifest's name (docs/src/NN-name.adoc: == Task N: ...)").isEmpty();
    }

    @Test
    @DisplayName("every hint reads on its lesson's page as the manifest writes it")
    void hintsLiteral() throws IOException {
        Map<String, String> garbled = new TreeMap<>();
        for (Lesson lesson : lessons()) {
            String text = text(Files.readString(SITE.resolve(lesson.id() + ".html")));
            for (int i = 0; i < lesson.hints().size(); i++) {
                // Backticks mark code, which the book shows in monospace and the terminal as they are.
                String hint = lesson.hints().get(i).replace("`", "").replaceAll("\\s+", " ");
                if (!text.contains(hint)) {
                    garbled.put(lesson.id() + " hint " + (i + 1), hint);
                }
            }
        }
        assertThat(garbled).as("hints that the book does not show as written").isEmpty();
    }

    @Test
    @DisplayName("every known mistake shows on its lesson's page: title and why as written, its code folded, the verdict")
    void mistakesShown() throws IOException {
        Workbook workbook = workbook();
        Map<String, List<String>> absent = new TreeMap<>();
        for (Lesson lesson : workbook.manifest().lessons()) {
            Mistakes corpus = workbook.mistakes(lesson);
            String html = Files.readString(SITE.resolve(lesson.id() + ".html"));
            String text = text(html);
            List<String> missing = new ArrayList<>();
            for (Mistake mistake : corpus.mistakes()) {
                for (String part : List.of(mistake.title(), mistake.why(), mistake.verdict())) {
                    // Backticks mark code, which the book shows in monospace.
                    String written = part.replace("`", "").replaceAll("\\s+", " ").strip();
                    if (!text.contains(written)) {
                        missing.add(written);
                    }
                }
            }
            int folded = CLOSED_MISTAKEN_CODE.matcher(html).results().mapToInt(match -> 1).sum();
            if (folded != corpus.mistakes().size()) {
                missing.add(folded + " closed blocks of mistaken code for " + corpus.mistakes().size() + " mistakes");
            }
            if (corpus.mistakes().isEmpty() && !text.contains("No known mistakes are recorded for this lesson yet.")) {
                missing.add("the word that no mistake is recorded yet");
            }
            if (!missing.isEmpty()) {
                absent.put(lesson.id() + ".html", missing);
            }
        }
        assertThat(absent).as("the known mistakes (solutions/NN-name/mistakes.yaml) that the pages do not show").isEmpty();
    }

    static final Pattern CLOSED_MISTAKEN_CODE = Pattern.compile(
            "<details(?![^>]*\\sopen)[^>]*>\\s*<summary[^>]*>Show the mistaken code[^<]*</summary>");

    /** How wide a diagram may be drawn: the page's column (62.5em less its padding); a wider one shrinks, labels and all. */
    static final int COLUMN_PX = 960;
    static final Pattern DIAGRAM = Pattern.compile("<svg[^>]*data-diagram-type=[^>]*>.*?</svg>", Pattern.DOTALL);
    static final Pattern DIAGRAM_WIDTH = Pattern.compile("<svg[^>]*\\swidth=\"(\\d+)\"");
    static final Pattern SVG_TEXT = Pattern.compile("<text[^>]*>([^<]*)</text>");
    /** A message written into a label ("ping; B -> S : pong"), which PlantUML draws as text, not as an arrow. */
    static final Pattern RAW_MESSAGE = Pattern.compile("\\S\\s*-+(?:>|&gt;|x\\s)\\s*\\S+\\s*:");

    /** What {@code check} finds wrong on each page of the book that it finds anything wrong with. */
    static Map<String, List<String>> problemsByPage(Function<String, List<String>> check) throws IOException {
        Map<String, List<String>> problems = new TreeMap<>();
        try (Stream<Path> files = Files.list(SITE)) {
            for (Path file : files.filter(path -> path.toString().endsWith(".html")).toList()) {
                List<String> found = check.apply(Files.readString(file));
                if (!found.isEmpty()) {
                    problems.put(file.getFileName().toString(), found);
                }
            }
        }
        return problems;
    }

    /** What is wrong with the diagrams of {@code html}: too wide, or a message left as text. */
    static List<String> diagramProblems(String html) {
        List<String> problems = new ArrayList<>();
        for (String diagram : DIAGRAM.matcher(html).results().map(MatchResult::group).toList()) {
            Matcher width = DIAGRAM_WIDTH.matcher(diagram);
            if (width.find() && Integer.parseInt(width.group(1)) > COLUMN_PX) {
                problems.add("a diagram " + width.group(1) + " px wide, in a column of " + COLUMN_PX);
            }
            SVG_TEXT.matcher(diagram).results().map(text -> text.group(1)).filter(text -> RAW_MESSAGE.matcher(text).find())
                    .forEach(text -> problems.add("a message drawn as text: " + text));
        }
        return problems;
    }

    @Test
    @DisplayName("every diagram fits the page's column, and draws each message as an arrow")
    void diagramsDrawn() throws IOException {
        assertThat(problemsByPage(SiteTest::diagramProblems)).as("diagrams to redraw: wrap long labels with \\n, one message per line of PlantUML").isEmpty();
    }

    @Test
    @DisplayName("the diagram check finds a diagram too wide and a message left as text, and only those")
    void diagramCheckWorks() {
        String fits = "<svg data-diagram-type='SEQUENCE' width=\"880\" height=\"600\"><text x=\"1\">ping</text>"
                + "<text x=\"2\">upgrade /?since=5 -- a note</text></svg>";
        String wrong = "<svg data-diagram-type='SEQUENCE' width=\"1565\" height=\"557\">"
                + "<text x=\"1\">ping; B -&gt; S : pong</text></svg>";

        assertThat(diagramProblems(fits)).isEmpty();
        assertThat(diagramProblems(wrong)).containsExactly("a diagram 1565 px wide, in a column of 960",
                "a message drawn as text: ping; B -&gt; S : pong");
    }

    @Test
    @DisplayName("no page shows garbled or unrendered markup")
    void markupRendered() throws IOException {
        assertThat(problemsByPage(SiteTest::unrenderedMarkup)).as("markup left in the text of the pages, outside <pre> and <code>, or a backtick in inline code").isEmpty();
    }

    @Test
    @DisplayName("the checks of the pages' text see what a reader sees")
    void textChecksWork() {
        String html = """
                <html><head><title>`Title`</title><style>pre { content: "((" }</style></head>
                <body><p>Call <code>send(`x`)</code> &amp; wait&#8230;</p>
                <details><summary>Show</summary>
                <pre>session.sendText(WELCOME, callback);</pre>
                <details open>nested</details>
                </details>
                <details open><summary>Shown</summary>
                <p>a &lt;&lt; b, {partials}, ((term)), `raw`</p>
                <p>the <code>long`s in the `TimeUnit</code></p>
                </details>
                <pre>`in code` ((fine))</pre></body></html>
                """;
        assertThat(visibleText(html)).isEqualTo(
                "Call send(`x`) & wait\u2026 Shown a << b, {partials}, ((term)), `raw` the long`s in the `TimeUnit `in code` ((fine))");
        assertThat(unrenderedMarkup(html)).containsExactly("<<", "{partials}", "((", "))", "`", "`", "send(`x`)", "long`s in the `TimeUnit");
        assertThat(normalise("        clock.cancel(false); // <1>")).isEqualTo("clock.cancel(false);");
        assertThat(normalise("    String url = \"ws://host/\"; // why")).isEqualTo("String url = \"ws://host/\";");
        assertThat(code(List.of("/** A doc", " * comment */ int a = 1;", "// tag::x[]", "int  b =  2;")))
                .containsExactly("int a = 1;", "int b = 2;");
    }

    /** Shorter lines, such as a closing brace or {@code return uri;}, say nothing of the answer. */
    static final int ANSWER_LINE_MIN = 12;

    /**
     * The lines that solve a lesson: the lines of its reference files that are not in the stub's
     * files, as {@link #code} normalises them, without a closing {@code ;} or opening {@code {}, so
     * that a hint or a text that quotes one without it is caught too.
     */
    static List<String> answerLines(Workbook workbook, Lesson lesson) throws IOException {
        List<String> answers = new ArrayList<>();
        for (String file : lesson.edit()) {
            Set<String> stub = new HashSet<>(code(Files.readAllLines(workbook.lessonDir(lesson).resolve(file))));
            for (String line : code(Files.readAllLines(workbook.solutionDir(lesson).resolve(file)))) {
                if (line.length() >= ANSWER_LINE_MIN && !stub.contains(line) && !line.startsWith("import ")) {
                    answers.add(line.replaceAll("\\s*[;{]$", ""));
                }
            }
        }
        return answers;
    }

    /** Java source lines without their comments (tag markers and callouts among them), whitespace collapsed. */
    static List<String> code(List<String> lines) {
        return CodeLines.of(String.join("\n", lines));
    }

    /** One line of code as {@link #code} normalises it. */
    static String normalise(String line) {
        return code(List.of(line)).stream().findFirst().orElse("");
    }

    static final Pattern CLOSED_DETAILS = Pattern.compile("<details(?![^>]*\\sopen)[^>]*>");
    static final Pattern DETAILS_TAG = Pattern.compile("<(/?)details\\b[^>]*>");

    /**
     * The text a reader sees on a page before opening anything: without a closed
     * {@code <details>} (and whatever it holds), styles, scripts, comments and tags, the entities
     * read, whitespace collapsed.
     */
    static String visibleText(String html) {
        StringBuilder open = new StringBuilder();
        Matcher closed = CLOSED_DETAILS.matcher(html);
        int from = 0;
        while (closed.find(from)) {
            open.append(html, from, closed.start());
            from = endOfElement(html, closed.start());
        }
        open.append(html.substring(from));
        return text(open.toString());
    }

    /** Where the {@code <details>} element that starts at {@code start} ends, nested ones included. */
    static int endOfElement(String html, int start) {
        Matcher tag = DETAILS_TAG.matcher(html);
        int depth = 0;
        tag.region(start, html.length());
        while (tag.find()) {
            depth += tag.group(1).isEmpty() ? 1 : -1;
            if (depth == 0) {
                return tag.end();
            }
        }
        return html.length();
    }

    static final Pattern HIDDEN = Pattern.compile(
            "<(style|script)\\b.*?</\\1>|<!--.*?-->|<head>.*?</head>", Pattern.DOTALL);
    static final Pattern TAG = Pattern.compile("<[^>]*>");
    static final Pattern ENTITY = Pattern.compile("&(#x[0-9a-fA-F]+|#[0-9]+|[a-z]+);");
    static final Map<String, String> NAMED = Map.of("lt", "<", "gt", ">", "amp", "&", "quot", "\"", "apos", "'", "nbsp", "\u00a0");

    /** The text of some HTML: no tags, nor what styles, scripts and comments hold; entities read; whitespace collapsed. */
    static String text(String html) {
        String text = TAG.matcher(HIDDEN.matcher(html).replaceAll(" ")).replaceAll("");
        text = ENTITY.matcher(text).replaceAll(entity -> {
            String name = entity.group(1);
            String character = name.startsWith("#x") ? Character.toString(Integer.parseInt(name.substring(2), 16))
                    : name.startsWith("#") ? Character.toString(Integer.parseInt(name.substring(1)))
                    : NAMED.getOrDefault(name, entity.group());
            return Matcher.quoteReplacement(character);
        });
        return text.replaceAll("[\\s\u00a0]+", " ").strip();
    }

    static final Pattern CODE = Pattern.compile("<(pre|code)\\b.*?</\\1>", Pattern.DOTALL);
    static final Pattern PRE = Pattern.compile("<pre\\b.*?</pre>", Pattern.DOTALL);
    static final Pattern INLINE_CODE = Pattern.compile("<code\\b.*?</code>", Pattern.DOTALL);

    /**
     * AsciiDoc that reached the reader as text: outside code, a backtick (a monospace that did not
     * render), {@code ((} or {@code ))} (an index term, or a hint read as one), an attribute
     * reference left unresolved, an include, cross reference, passthrough, anchor or internal link
     * left as written.
     */
    static final Pattern MARKUP = Pattern.compile("`|\\(\\(|\\)\\)|\\{[A-Za-z0-9_][A-Za-z0-9_-]*\\}|include::|xref:|pass:|\\[\\[|<<");

    /**
     * The markup left in the text of a page outside {@code <pre>} and {@code <code>}, closed
     * {@code <details>} included; and inline code with a backtick in it, the sign of a monospace
     * that ran on past the word it should have ended at ({@code `long`s}), shown whole.
     */
    static List<String> unrenderedMarkup(String html) {
        List<String> markup = new ArrayList<>(
                MARKUP.matcher(text(CODE.matcher(html).replaceAll(" "))).results().map(MatchResult::group).toList());
        INLINE_CODE.matcher(PRE.matcher(html).replaceAll(" ")).results()
                .map(code -> text(code.group())).filter(code -> code.contains("`")).forEach(markup::add);
        return markup;
    }
}
