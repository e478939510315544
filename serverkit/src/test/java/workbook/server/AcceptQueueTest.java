package workbook.server;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The server kit's accept queue, seen from outside. */
@DisplayName("The server kit's accept queue")
class AcceptQueueTest {

    static final int CLIENTS = 200;

    final LessonServer server = new QuietServer();
    final List<Socket> sockets = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (Socket socket : sockets) {
            socket.close();
        }
        server.stop();
    }

    @Test
    @DisplayName("200 connections that arrive while the server accepts none all get in: the kernel holds them until it does")
    void holdsABurst() throws Exception {
        URI uri = server.start(0);
        // A server busy elsewhere, made certain: the kernel alone answers connections now, and holds
        // as many as the accept queue allows. Past that it ignores them (Linux drops the SYN), and the
        // client retries a second later, then three, then seven: a burst of clients stalls.
        server.connector().setAccepting(false);

        for (int i = 0; i < CLIENTS; i++) {
            Socket socket = new Socket();
            sockets.add(socket);
            try {
                socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 500);
            } catch (SocketTimeoutException e) {
                fail("Connection %d of %d did not get in within 500 ms while the server accepted none: the accept"
                        + " queue holds fewer (the JVM's default is 50; see LessonServer.ACCEPT_QUEUE).", i + 1, CLIENTS);
            } catch (IOException e) {
                fail("Connection %d of %d failed: %s", i + 1, CLIENTS, e);
            }
        }
    }
}
