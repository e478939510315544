package workbook.tool.dev;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import workbook.tool.Manifest.Lesson;
import workbook.tool.Mistakes.Mistake;
import workbook.tool.Workbook;

/**
 * {@code ./workbook dev new NN-name}: scaffolds the next lesson, with every part the lesson pattern
 * asks for (CONTRIBUTING.md): its module (pom, stub with one TODO, tests of one task), its solution
 * and three known mistakes with their verdicts recorded, its page, its manifest entry, its place
 * in lessons/pom.xml, and the browser test of its live page with its place in browser/pom.xml. The
 * maintainer build accepts it as it is; the author then makes it the lesson it is meant to be.
 */
final class NewLesson {

    private NewLesson() {
    }

    static int create(Workbook workbook, PrintStream out, List<String> args) throws IOException {
        int next = workbook.manifest().lessons().size() + 1;
        String id = args.isEmpty() ? "" : args.get(0);
        if (!id.matches(String.format("%02d-[a-z]+(-[a-z]+)*", next))) {
            throw new IllegalArgumentException("Name the new lesson " + String.format("%02d", next)
                    + "-name, e.g. " + String.format("%02d", next) + "-rooms: it comes after lesson " + (next - 1) + ".");
        }
        Names names = new Names(id);
        Path lesson = workbook.root().resolve(Workbook.LESSONS).resolve(id);
        Path solution = workbook.root().resolve("solutions").resolve(id);
        if (Files.exists(lesson) || Files.exists(solution)) {
            throw new IllegalArgumentException(workbook.root().relativize(lesson) + " or " + workbook.root().relativize(solution)
                    + " exists already.");
        }
        write(lesson.resolve("pom.xml"), names.fill(POM));
        write(lesson.resolve(names.main("Server")), names.fill(SERVER));
        write(lesson.resolve(names.main("Endpoint")), stub(names.fill(SOLUTION)));
        write(lesson.resolve(names.test()), names.fill(TEST));
        write(solution.resolve(names.main("Endpoint")), names.fill(SOLUTION));
        write(solution.resolve(Workbook.MISTAKES), names.fill(MISTAKES));
        write(workbook.root().resolve("docs/src").resolve(id + ".adoc"), names.fill(PAGE));
        Path modules = workbook.root().resolve(Workbook.LESSONS).resolve("pom.xml");
        String pom = Files.readString(modules);
        int end = pom.lastIndexOf("</module>") + "</module>".length();
        Files.writeString(modules, pom.substring(0, end) + "\n    <module>" + id + "</module>" + pom.substring(end));
        write(workbook.root().resolve("browser").resolve(names.pageTest()), names.fill(PAGE_TEST));
        // The browser tests run against the lessons' jars: one more dependency, after the last lesson's.
        Path browser = workbook.root().resolve("browser/pom.xml");
        String browserPom = Files.readString(browser);
        int after = browserPom.indexOf("</dependency>", browserPom.lastIndexOf("<artifactId>lesson-")) + "</dependency>".length();
        Files.writeString(browser, browserPom.substring(0, after) + names.fill(DEPENDENCY).stripTrailing() + browserPom.substring(after));
        Path manifest = workbook.root().resolve(Workbook.MANIFEST);
        Files.writeString(manifest, Files.readString(manifest).stripTrailing() + "\n" + names.fill(ENTRY));

        // The verdicts of the three mistakes, as the check prints them: recorded now, so that the build passes.
        Workbook created = Workbook.at(workbook.root());
        Lesson added = created.manifest().lessons().get(next - 1);
        for (Mistake mistake : created.mistakes(added).mistakes()) {
            MistakeCheck.problems(created, added, mistake, 1, true);
        }
        out.println("Lesson " + next + " (" + id + ") is scaffolded: every TODO in its files says what to make of it.");
        out.println("Next: ./workbook dev check " + next + ", then the maintainer build (./mvnw verify -Psolutions).");
        return 0;
    }

    /** The learner's stub: the solution with its answer a TODO, and without its doc tags. */
    private static String stub(String solution) {
        return solution.replace("import workbook.server.Sends;\n", "")
                .replace("        session.sendText(WELCOME, Sends.LOG_FAILURE); // <1>\n",
                        "        // TODO 1: push WELCOME to the client as soon as it connects, without blocking.\n")
                .replaceAll("    // (tag|end)::welcome\\[]\n", "");
    }

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    /** The names a lesson's id gives: 06-chat-rooms is package workbook.chatrooms, classes ChatRooms... */
    private record Names(String id) {

        String name() {
            return id.substring(3);
        }

        String pkg() {
            return "workbook." + name().replace("-", "");
        }

        String prefix() {
            return Arrays.stream(name().split("-")).map(part -> Character.toUpperCase(part.charAt(0)) + part.substring(1))
                    .collect(Collectors.joining());
        }

        String main(String suffix) {
            return "src/main/java/" + pkg().replace('.', '/') + "/" + prefix() + suffix + ".java";
        }

        String test() {
            return "src/test/java/" + pkg().replace('.', '/') + "/" + prefix() + "Test.java";
        }

        String pageTest() {
            return "src/test/java/" + pkg().replace('.', '/') + "/" + prefix() + "PageTest.java";
        }

        String fill(String template) {
            return template.replace("{id}", id).replace("{name}", name()).replace("{number}", id.substring(0, 2))
                    .replace("{n}", String.valueOf(Integer.parseInt(id.substring(0, 2))))
                    .replace("{package}", pkg()).replace("{Prefix}", prefix())
                    .replace("{endpoint}", main("Endpoint"));
        }
    }

    private static final String POM = """
            <?xml version="1.0" encoding="UTF-8"?>
            <project xmlns="http://maven.apache.org/POM/4.0.0"
                     xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
                     xsi:schemaLocation="http://maven.apache.org/POM/4.0.0 https://maven.apache.org/xsd/maven-4.0.0.xsd">
              <modelVersion>4.0.0</modelVersion>
              <parent>
                <groupId>workbook</groupId>
                <artifactId>lessons</artifactId>
                <version>1.0.0-SNAPSHOT</version>
              </parent>

              <artifactId>lesson-{id}</artifactId>
              <name>Lesson {number}: {name}</name>

              <properties>
                <lesson.id>{id}</lesson.id>
              </properties>
            </project>
            """;

    private static final String SERVER = """
            package {package};

            import org.eclipse.jetty.websocket.server.ServerWebSocketContainer;

            import workbook.server.LessonServer;

            /** Lesson {number}: TODO (author) say in a line what the learner's server does. */
            public final class {Prefix}Server extends LessonServer {

                @Override
                protected void configure(ServerWebSocketContainer endpoints) {
                    endpoints.addMapping("/", (request, response, callback) -> new {Prefix}Endpoint());
                }

                public static void main(String[] args) throws Exception {
                    run(new {Prefix}Server(), args);
                }
            }
            """;

    private static final String SOLUTION = """
            package {package};

            import org.eclipse.jetty.websocket.api.Session;
            import org.eclipse.jetty.websocket.api.annotations.OnWebSocketError;
            import org.eclipse.jetty.websocket.api.annotations.OnWebSocketOpen;
            import org.eclipse.jetty.websocket.api.annotations.WebSocket;

            import workbook.server.Failures;
            import workbook.server.Sends;

            /** One client's connection. TODO (author): the lesson's endpoint; its tasks are the TODOs below. */
            @WebSocket
            public class {Prefix}Endpoint {

                /** The first message every client gets. */
                static final String WELCOME = "Welcome to lesson {number}.";

                // tag::welcome[]
                @OnWebSocketOpen
                public void onOpen(Session session) {
                    session.sendText(WELCOME, Sends.LOG_FAILURE); // <1>
                }
                // end::welcome[]

                @OnWebSocketError
                public void onError(Session session, Throwable cause) {
                    Failures.log(session, cause);
                }
            }
            """;

    private static final String TEST = """
            package {package};

            import static org.assertj.core.api.Assertions.assertThat;

            import org.junit.jupiter.api.DisplayName;
            import org.junit.jupiter.api.Nested;
            import org.junit.jupiter.api.Tag;
            import org.junit.jupiter.api.Test;
            import org.junit.jupiter.api.extension.RegisterExtension;

            import workbook.testkit.LessonServerExtension;
            import workbook.testkit.TestClient;
            import workbook.testkit.Todo;

            @DisplayName("Lesson {n}: To be written")
            class {Prefix}Test {

                static final Todo TODO_1 = new Todo(1, "{Prefix}Endpoint.java");

                @RegisterExtension
                final LessonServerExtension<{Prefix}Server> lesson = new LessonServerExtension<>({Prefix}Server::new);

                // A class a task, tagged with the task's id in the manifest, named "Task N: ...".
                @Nested
                @Tag("welcome")
                @DisplayName("Task 1: Push a welcome text as soon as a client connects")
                class Welcome {

                    @Test
                    @DisplayName("a client gets the welcome text before it says anything")
                    void welcomeFirst() {
                        TestClient client = lesson.connect();

                        assertThat(client.nextText("the welcome text", TODO_1))
                                .as(TODO_1.explain("The first message after connecting")).isEqualTo({Prefix}Endpoint.WELCOME);
                    }
                }
            }
            """;

    private static final String PAGE_TEST = """
            package {package};

            import static org.assertj.core.api.Assertions.assertThat;
            import static workbook.testkit.Eventually.eventually;

            import org.junit.jupiter.api.DisplayName;
            import org.junit.jupiter.api.Test;
            import org.junit.jupiter.api.extension.RegisterExtension;

            import workbook.browser.LiveLesson;
            import workbook.browser.LivePage;
            import workbook.browser.LivePage.Line;

            // TODO (author): what the lesson's live page lets a learner try, as its manifest entry's `page` says.
            @DisplayName("Live page, lesson {number}: {name}")
            class {Prefix}PageTest {

                @RegisterExtension
                final LiveLesson<{Prefix}Server> lesson = new LiveLesson<>({Prefix}Server::new);

                @Test
                @DisplayName("shows the welcome as soon as the page has connected")
                void welcome() throws Exception {
                    LivePage page = lesson.open();

                    eventually(() -> assertThat(page.received()).as("What the page shows as pushed by the server")
                            .contains(new Line("in", "text", {Prefix}Endpoint.WELCOME)));
                }
            }
            """;

    private static final String DEPENDENCY = """

                <dependency>
                  <groupId>workbook</groupId>
                  <artifactId>lesson-{id}</artifactId>
                  <version>${project.version}</version>
                  <scope>test</scope>
                </dependency>
            """;

    private static final String MISTAKES = """
            # Known mistakes of lesson {number}: plausible wrong versions of the reference solution, each made by
            # replacing a text of the solution (it must occur there exactly once) with another. The build runs
            # the lesson's tests against each, `runs` times, and requires every run to fail with the `verdict`
            # recorded here. How to add one: CONTRIBUTING.md. TODO (author): the lesson's own mistakes.
            mistakes:
              - id: no-welcome
                title: No welcome
                why: A server may speak first; nothing needs to arrive from the client before a push.
                runs: 1
                edits:
                  - file: {endpoint}
                    replace: session.sendText(WELCOME, Sends.LOG_FAILURE); // <1>
                    with: ""
                verdict: x
              - id: another-welcome
                title: A welcome of its own words
                why: The tests expect the text the lesson gives, WELCOME; a client may rely on it.
                runs: 1
                edits:
                  - file: {endpoint}
                    replace: session.sendText(WELCOME, Sends.LOG_FAILURE); // <1>
                    with: session.sendText("Hello!", Sends.LOG_FAILURE);
                verdict: x
              - id: welcome-as-binary
                title: The welcome as bytes
                why: Text is sent with sendText; a client reads a binary message as bytes, not as text.
                runs: 1
                edits:
                  - file: {endpoint}
                    replace: session.sendText(WELCOME, Sends.LOG_FAILURE); // <1>
                    with: session.sendBinary(java.nio.ByteBuffer.wrap(WELCOME.getBytes(java.nio.charset.StandardCharsets.UTF_8)), Sends.LOG_FAILURE);
                verdict: x
            """;

    private static final String ENTRY = """
              - id: {id}
                title: To be written
                technique: "{name}"
                server: {package}.{Prefix}Server
                edit:
                  - {endpoint}
                tasks:
                  - id: welcome
                    title: Push a welcome text as soon as a client connects
                hints:
                  - "The `Session` that Jetty passes to `onOpen` is this client's connection."
                  - "Send without blocking, with a callback; `Sends.LOG_FAILURE` will do."
                play:
                  setup: |
                    var server = new {Prefix}Server();
                    var uri = server.start(port);
                    var client = PlayClient.connect(uri);
                  try:
                    - server.stop()
                page: Open the page; the welcome arrives first.
            """;

    private static final String PAGE = """
            = Lesson {number}: to be written
            :source-language: java

            include::{partials}/{id}-nav.adoc[]

            TODO (author): what the technique is for, in a few sentences.

            == What you build

            The files you edit:

            include::{partials}/{id}-files.adoc[]

            Your tasks, in the order of the stub's `TODO` comments:

            include::{partials}/{id}-tasks.adoc[]

            == The conversation

            [plantuml,{id}-sequence,svg,opts=inline]
            ----
            @startuml
            participant "Client" as C
            participant "{Prefix}Server" as S
            C -> S : connect
            S -> C : welcome  (task 1)
            @enduml
            ----

            == The idea and the API

            TODO (author): teach before you show, on small examples that are not the answer.

            == Task 1: Push a welcome text as soon as a client connects

            Send the welcome from `onOpen` (`TODO 1`).

            .Show the reference code
            [%collapsible]
            ====
            [source]
            ----
            include::{solutions}/{id}/{endpoint}[tag=welcome,indent=0]
            ----
            <1> The server speaks first.
            ====

            == Check your work

            [source,shell]
            ----
            ./workbook check {number}
            ----

            == Try it

            include::{partials}/{id}-page.adoc[]

            == Common mistakes

            include::{partials}/{id}-mistakes.adoc[]

            == In Node.js `ws` you would…

            TODO (author): the same in Node's `ws`, and where the two differ.

            == Hints

            include::{partials}/{id}-hints.adoc[]

            include::{partials}/{id}-nav.adoc[]
            """;
}
