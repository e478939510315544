package workbook.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

import org.eclipse.jetty.websocket.server.ServerWebSocketContainer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The server kit's Origin check, as lesson 12 uses it, seen from a plain socket. */
@DisplayName("The server kit's allowed origins")
class AllowedOriginsTest {

    /** A server whose one endpoint only listens, behind the Origin check. */
    static final class Guarded extends LessonServer {
        final AllowedOrigins origins = new AllowedOrigins();

        @Override
        protected void configure(ServerWebSocketContainer endpoints) {
            endpoints.addMapping("/", (request, response, callback) ->
                    origins.allows(request) ? new ClientEndpoint(new Clients()) : AllowedOrigins.refuse(request, response, callback));
        }
    }

    final Guarded server = new Guarded();
    URI uri;

    @BeforeEach
    void start() throws Exception {
        uri = server.start(0);
        server.origins.allow("https://own.example");
    }

    @AfterEach
    void stop() throws Exception {
        server.stop();
    }

    @ParameterizedTest(name = "Origin headers {0}: {1}")
    @DisplayName("one allowed Origin, or none, is let in; another, or two of them in either order, get 403")
    @CsvSource(delimiter = '|', value = {
        "https://own.example | 101",
        "'' | 101",
        "https://evil.example | 403",
        "https://own.example,https://evil.example | 403",
        "https://evil.example,https://own.example | 403",
        "https://own.example,https://own.example | 403"})
    void origins(String headers, int status) throws IOException {
        StringBuilder origins = new StringBuilder();
        for (String origin : headers.split(",")) {
            if (!origin.isEmpty()) {
                origins.append("Origin: ").append(origin).append("\r\n");
            }
        }
        try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET / HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n" + origins + "\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            assertThat(new String(in.readNBytes(12), StandardCharsets.US_ASCII)).as("the status line's start")
                    .isEqualTo("HTTP/1.1 " + status);
        }
    }
}
