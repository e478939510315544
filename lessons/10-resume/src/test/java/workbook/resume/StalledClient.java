package workbook.resume;

import static org.assertj.core.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

import workbook.testkit.TestClient;

/**
 * A client that has stalled: it reads nothing until the test asks, and its receive buffer is small,
 * so that what a server sends it soon waits in the server's queue (as the test kit's SlowClient).
 * Unlike SlowClient, it hands the test every frame as it comes, the server's close included: the
 * test sees which messages came, in which order, and how they ended.
 */
final class StalledClient implements AutoCloseable {

    private static final int RECEIVE_BUFFER = 4 * 1024;
    private static final int TEXT = 1;
    private static final int CLOSE = 8;
    private static final int PING = 9;
    private static final int PONG = 10;

    /** What the client reads next: a text message, the server's close, or the end of a connection that had no close. */
    sealed interface Frame permits Text, Closed, Ended {
    }

    record Text(String text) implements Frame {
    }

    record Closed(int code, String reason) implements Frame {
    }

    record Ended() implements Frame {
    }

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    private StalledClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    /** Connects to {@code uri}, and returns once the server has opened its side (it answered a ping). */
    static StalledClient connect(URI uri) {
        try {
            Socket socket = new Socket();
            socket.setReceiveBufferSize(RECEIVE_BUFFER); // before connecting: the window stays small
            socket.setSoTimeout((int) TestClient.WAIT.toMillis());
            socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), (int) TestClient.WAIT.toMillis());
            StalledClient client = new StalledClient(socket);
            client.handshake(uri);
            client.frame(PING, new byte[0]);
            while (client.read()[0] != PONG) {
                // Nothing is published before the pong: a new client gets no replay.
            }
            return client;
        } catch (IOException e) {
            return fail("The test could not connect a client that reads nothing to %s: %s", uri, e);
        }
    }

    private void handshake(URI uri) throws IOException {
        byte[] nonce = new byte[16];
        ThreadLocalRandom.current().nextBytes(nonce);
        out.write(("GET " + uri.getRawPath() + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort()
                + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: "
                + Base64.getEncoder().encodeToString(nonce) + "\r\nSec-WebSocket-Version: 13\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            head.write(in.readUnsignedByte());
        }
        if (!head.toString(StandardCharsets.US_ASCII).startsWith("HTTP/1.1 101 ")) {
            throw new IOException("the server did not accept the upgrade: " + head.toString(StandardCharsets.US_ASCII).lines().findFirst().orElse(""));
        }
    }

    /** Sends a close frame (1000): the server answers it after all it had queued for this client. */
    void sendClose() {
        try {
            frame(CLOSE, new byte[] {(byte) (1000 >> 8), (byte) (1000 & 0xFF)});
        } catch (IOException e) {
            // The server has dropped the connection already: what is read next says so.
        }
    }

    /** The next text message or close, read now, perhaps long after it came. */
    Frame next(String expected) {
        try {
            for (byte[] frame = read(); ; frame = read()) {
                int opcode = frame[0];
                byte[] payload = Arrays.copyOfRange(frame, 1, frame.length);
                if (opcode == TEXT) {
                    return new Text(new String(payload, StandardCharsets.UTF_8));
                }
                if (opcode == CLOSE) {
                    return payload.length < 2 ? new Closed(1005, "")
                            : new Closed((payload[0] & 0xFF) << 8 | payload[1] & 0xFF, new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8));
                }
            }
        } catch (SocketTimeoutException e) {
            return fail("Expected %s, but the client that read nothing for a while received nothing more within %d s.",
                    expected, TestClient.WAIT.toSeconds());
        } catch (IOException e) {
            return new Ended();
        }
    }

    /** One whole message: its opcode, then its payload; fragments joined, control frames alone. */
    private byte[] read() throws IOException {
        ByteArrayOutputStream message = new ByteArrayOutputStream();
        message.write(0);
        int opcode = -1;
        boolean fin;
        do {
            int first = in.readUnsignedByte();
            int second = in.readUnsignedByte();
            fin = (first & 0x80) != 0;
            if ((first & 0x0F) != 0) {
                opcode = first & 0x0F;
            }
            long length = second & 0x7F;
            if (length == 126) {
                length = in.readUnsignedShort();
            } else if (length == 127) {
                length = in.readLong();
            }
            byte[] payload = new byte[(int) length];
            in.readFully(payload); // a server's frames are never masked
            message.writeBytes(payload);
        } while (!fin);
        byte[] bytes = message.toByteArray();
        bytes[0] = (byte) opcode;
        return bytes;
    }

    /** Writes one frame, masked as a client's must be (RFC 6455, 5.3). */
    private void frame(int opcode, byte[] payload) throws IOException {
        byte[] mask = new byte[4];
        ThreadLocalRandom.current().nextBytes(mask);
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.write(0x80 | opcode);
        frame.write(0x80 | payload.length); // control frames only: under 126 bytes
        frame.writeBytes(mask);
        for (int i = 0; i < payload.length; i++) {
            frame.write(payload[i] ^ mask[i & 3]);
        }
        out.write(frame.toByteArray());
        out.flush();
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // Closing is all the test wanted.
        }
    }
}
