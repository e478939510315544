package workbook.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import workbook.binary.BinaryServer;
import workbook.broadcast.BroadcastServer;
import workbook.events.EventServer;
import workbook.events.Repository;
import workbook.reply.ReplyServer;
import workbook.scheduled.ScheduledServer;
import workbook.server.LessonServer;

/** Without a browser: every lesson server serves the same live page, from the server kit, at /. */
@DisplayName("Live page files, over plain HTTP")
class PageFilesTest {

    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    static Stream<Named<Supplier<LessonServer>>> lessonServers() {
        return Stream.of(Named.of("lesson 01", ReplyServer::new), Named.of("lesson 02", BroadcastServer::new),
                Named.of("lesson 03", () -> new ScheduledServer(Duration.ofSeconds(5), Duration.ofSeconds(10))),
                Named.of("lesson 04", () -> new EventServer(new Repository())), Named.of("lesson 05", BinaryServer::new));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("lessonServers")
    @DisplayName("GET / is the page, its script and style come along, and other paths are 404")
    void servesThePage(Supplier<LessonServer> lesson) throws Exception {
        LessonServer server = lesson.get();
        server.start(0);
        try {
            assertThat(get(server, "/", "text/html")).as("GET / of %s", server.getClass().getSimpleName())
                    .isEqualTo(resource("index.html"));
            assertThat(get(server, "/page.js", "text/javascript")).isEqualTo(resource("page.js"));
            assertThat(get(server, "/page.css", "text/css")).isEqualTo(resource("page.css"));
            assertThat(HTTP.send(request(server, "/nothing-here"), HttpResponse.BodyHandlers.discarding()).statusCode())
                    .as("GET of a path with no file").isEqualTo(404);
        } finally {
            server.stop();
        }
    }

    static HttpRequest request(LessonServer server, String path) {
        return HttpRequest.newBuilder(server.page().resolve(path)).timeout(Duration.ofSeconds(5)).build();
    }

    /** The body of GET {@code path}, once its status is 200 and its type {@code type}: a browser runs a script only if it is one. */
    static String get(LessonServer server, String path, String type) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(request(server, path), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("status of GET %s", path).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).as("Content-Type of GET %s", path)
                .hasValueSatisfying(value -> assertThat(value).startsWith(type));
        return response.body();
    }

    /** The one copy of a page file, in the server kit's resources. */
    static String resource(String name) throws IOException {
        try (InputStream in = LessonServer.class.getResourceAsStream("/workbook/page/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
