package workbook.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;


/** What every lesson server gets from the server kit, seen from outside. */
@DisplayName("The server kit's defaults")
class ServerKitTest {

    final LessonServer server = new QuietServer();
    URI uri;

    @BeforeEach
    void start() throws Exception {
        uri = server.start(0);
    }

    @AfterEach
    void stop() throws Exception {
        server.stop();
    }

    @Test
    @DisplayName("an upgrade that asks for another WebSocket version gets 426 and the version spoken, not the page")
    void otherVersion() throws IOException {
        String response = upgrade("12");

        assertThat(response).startsWith("HTTP/1.1 426 ").containsIgnoringCase("Sec-WebSocket-Version: 13");
        assertThat(upgrade("13")).as("the version it speaks").startsWith("HTTP/1.1 101 ");
    }

    @Test
    @DisplayName("it listens on this machine only: another address of the machine is refused")
    void loopbackOnly() throws IOException {
        Optional<InetAddress> other = Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
                .flatMap(network -> Collections.list(network.getInetAddresses()).stream())
                .filter(address -> address instanceof Inet4Address && !address.isLoopbackAddress()).findFirst();
        assumeThat(other).as("an address of this machine other than loopback").isPresent();

        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(other.get(), uri.getPort()), 2_000);
            throw new AssertionError("A connection to " + other.get() + ":" + uri.getPort() + " was accepted");
        } catch (ConnectException refused) {
            assertThat(refused).hasMessageContaining("refused");
        }
    }

    @Test
    @DisplayName("stop() closes with 1001 even connections quiet for longer than Jetty's shutdown idle timeout (1 s)")
    void quietClientsGet1001() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        List<CompletableFuture<Integer>> codes = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            codes.add(connect(http));
        }
        // Not a wait for a result: the condition under test is a connection that has been quiet
        // for longer than the connector's shutdown idle timeout, and only time makes it so.
        Thread.sleep(1_500);

        server.stop();

        for (CompletableFuture<Integer> code : codes) {
            assertThat(code.get(5, TimeUnit.SECONDS)).as("the close code of a quiet client when the server stops").isEqualTo(1001);
        }
    }

    @Test
    @DisplayName("stop() ends, with 1001 for its WebSocket clients, while a browser holds an idle keep-alive connection")
    void stopsBesideAnIdleHttpConnection() throws Exception {
        CompletableFuture<Integer> code = connect(HttpClient.newHttpClient());
        try (Socket page = new Socket(uri.getHost(), uri.getPort())) {
            // What a browser keeps after loading the page: an HTTP/1.1 connection, idle, kept alive.
            page.setSoTimeout(10_000);
            page.getOutputStream().write("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(new String(page.getInputStream().readNBytes(12), StandardCharsets.US_ASCII))
                    .as("the page's status line").isEqualTo("HTTP/1.1 200");

            // Jetty's graceful stop waited for this connection to end by an idle timeout, and timed out.
            server.stop();

            assertThat(code.get(5, TimeUnit.SECONDS)).as("the WebSocket client's close code").isEqualTo(1001);
            assertThat(page.getInputStream().readAllBytes()).as("what is left of the page's response").isNotEmpty();
        }
    }

    /**
     * Connects a JDK WebSocket client, and returns once a pong has come back: proof that the server
     * has opened its side. The 101 reaches the client before the server's session is open, and a
     * stop() in between finds no session to close with 1001 (the client then saw 1006, under load).
     *
     * @return the close code the client will see
     */
    private CompletableFuture<Integer> connect(HttpClient http) throws Exception {
        CompletableFuture<Integer> code = new CompletableFuture<>();
        CompletableFuture<Void> pong = new CompletableFuture<>();
        WebSocket socket = http.newWebSocketBuilder().buildAsync(uri, new WebSocket.Listener() {
            @Override
            public CompletionStage<?> onPong(WebSocket socket, ByteBuffer message) {
                pong.complete(null);
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket socket, int status, String reason) {
                code.complete(status);
                return null;
            }

            @Override
            public void onError(WebSocket socket, Throwable error) {
                code.complete(1006);
            }
        }).get(5, TimeUnit.SECONDS);
        socket.request(Long.MAX_VALUE);
        socket.sendPing(ByteBuffer.allocate(0)).get(5, TimeUnit.SECONDS);
        pong.get(5, TimeUnit.SECONDS);
        return code;
    }

    /** The status line and headers of an upgrade request for {@code version}, on a plain socket. */
    private String upgrade(String version) throws IOException {
        try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write(("GET / HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                    + "Sec-WebSocket-Version: " + version + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
                int next = in.read();
                if (next < 0) {
                    break;
                }
                head.write(next);
            }
            return head.toString(StandardCharsets.US_ASCII);
        }
    }
}
