package workbook.testkit;

import static org.assertj.core.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * A WebSocket client on a plain socket that reads nothing until the test asks it for a message:
 * a client behind a slow network, or one that has stalled. Its receive buffer is small, so a server
 * that sends to it soon has to wait, or queue: what a test of a slow client needs. It speaks just
 * enough of RFC 6455 for that, and shares no code with the server under test. With the usual
 * receive buffer, it is also the client whose reads never wait on its writes (see
 * {@link #sendRefusable}): {@code lesson.connectPlain()}.
 */
public final class SlowClient implements AutoCloseable {

    private static final int RECEIVE_BUFFER = 4 * 1024;
    private static final int TEXT = 1;
    private static final int BINARY = 2;
    private static final int CLOSE = 8;
    private static final int PING = 9;
    private static final int PONG = 10;
    /** The bytes of a client's empty ping: two of header, four of mask. */
    private static final int PING_BYTES = 6;
    /** What Jetty reads from a connection at once: a write this small is read in one go. */
    private static final int ONE_READ = 4 * 1024;

    /** A message that arrived while the client waited for its pong; read methods return these first. */
    private record Message(int opcode, byte[] payload) {
    }

    private final String name;
    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final Queue<Message> early = new ArrayDeque<>();
    /** The thread writing a message the server may refuse, if one is: see {@link #sendRefusable}. */
    private Thread writer;
    /** Whether a ping follows what the test sent, so that its pong proves the server has handled it all. */
    private boolean fenced;

    private SlowClient(String name, Socket socket) throws IOException {
        this.name = name;
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    /** @param slow whether to offer the server a small window, or the system's usual one */
    static SlowClient connect(URI uri, String name, boolean slow) {
        try {
            Socket socket = new Socket();
            if (slow) {
                // Before connecting, so that the window the client offers the server stays small.
                socket.setReceiveBufferSize(RECEIVE_BUFFER);
            }
            socket.setSoTimeout((int) TestClient.WAIT.toMillis());
            socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), (int) TestClient.WAIT.toMillis());
            SlowClient client = new SlowClient(name, socket);
            client.handshake(uri);
            // As TestClient does: a pong proves that the server has opened its side.
            client.frame(PING, new byte[0]);
            for (Message message = client.read(); message.opcode() != PONG; message = client.read()) {
                client.early.add(message);
            }
            return client;
        } catch (IOException e) {
            return fail("The test could not connect %s to %s: %s", name, uri, e);
        }
    }

    private void handshake(URI uri) throws IOException {
        byte[] nonce = new byte[16];
        ThreadLocalRandom.current().nextBytes(nonce);
        String target = uri.getRawQuery() == null ? uri.getRawPath() : uri.getRawPath() + "?" + uri.getRawQuery();
        String request = "GET " + target + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort()
                + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: "
                + Base64.getEncoder().encodeToString(nonce) + "\r\nSec-WebSocket-Version: 13\r\n\r\n";
        out.write(request.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        // Read the response byte by byte up to its blank line: what follows is WebSocket frames.
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            head.write(in.readUnsignedByte());
        }
        String status = head.toString(StandardCharsets.US_ASCII).lines().findFirst().orElse("");
        if (!status.contains(" 101 ")) {
            throw new IOException("the server answered the upgrade with " + status);
        }
    }

    @Override
    public String toString() {
        return name;
    }

    /** This client's port: the server knows the connection by it. */
    int port() {
        return socket.getLocalPort();
    }

    /** Sends a text message in one frame. */
    public void send(String text) {
        try {
            frame(TEXT, text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            fail("The test could not send \"%s\" from %s: %s", text, name, e);
        }
    }

    /**
     * Closes the connection politely and reads, at last, every message the server had for this
     * client: a server answers a close frame after all it had queued before (unlike a ping, whose
     * pong Jetty sends ahead of queued messages), so the count is exact, without waiting for a
     * silence.
     *
     * @return how many messages came before the server's close frame
     */
    public int closeAndCount() {
        int count = early.size();
        early.clear();
        try {
            frame(CLOSE, new byte[] {(byte) (1000 >> 8), (byte) (1000 & 0xFF)});
            for (Message message = read(); message.opcode() != CLOSE; message = read()) {
                if (message.opcode() == TEXT || message.opcode() == BINARY) {
                    count++;
                }
            }
        } catch (IOException e) {
            fail("Expected the server to answer the close frame of %s, after %d messages: %s", name, count, e);
        }
        return count;
    }

    /**
     * Closes politely, as {@link #closeAndCount} does, and hands each text message that came before
     * the server's close frame to {@code texts}, in order: for a test that must see which messages
     * came, and how they ended, which the read methods fail on.
     *
     * @return the server's close, or 1006 if the connection ended without one
     */
    public Close closeAndRead(Consumer<String> texts) {
        early.stream().filter(message -> message.opcode() == TEXT).forEach(message -> texts.accept(text(message)));
        early.clear();
        try {
            frame(CLOSE, new byte[] {(byte) (1000 >> 8), (byte) (1000 & 0xFF)});
        } catch (IOException e) {
            // The server has dropped the connection already: the read says so.
        }
        try {
            Message message = read();
            while (message.opcode() != CLOSE) {
                if (message.opcode() == TEXT) {
                    texts.accept(text(message));
                }
                message = read();
            }
            return close(message);
        } catch (SocketTimeoutException e) {
            return fail("Expected the server to answer the close frame of %s, but it received nothing more within %d s.",
                    name, TestClient.WAIT.toSeconds());
        } catch (IOException e) {
            return new Close(1006, "");
        }
    }

    /** Sends a binary message in one frame. */
    public void send(byte[] bytes) {
        try {
            frame(BINARY, bytes);
        } catch (IOException e) {
            fail("The test could not send %d bytes from %s: %s", bytes.length, name, e);
        }
    }

    /**
     * Sends a binary message on a thread of its own, for one the server may refuse (too big, say).
     * A server that refuses a message closes the connection part way through it, unread bytes and
     * all, which resets the connection: the write fails, and that tells nothing. What this client
     * reads next tells: the reply, or the close frame that came before the reset. (Jetty's own
     * client, its write failing, may report only the reset: 1006 instead of the server's reason.)
     */
    public void sendRefusable(byte[] bytes) {
        ByteArrayOutputStream write = new ByteArrayOutputStream();
        write.writeBytes(frameBytes(BINARY, bytes));
        // A small message takes its fence along, in the same write, as sendAllRefusable's do: a
        // ping written apart could be all the server leaves unread when it refuses, and reset the
        // connection ahead of the close frame. A big one gets its ping once written (awaitClose).
        if (write.size() + PING_BYTES <= ONE_READ) {
            write.writeBytes(frameBytes(PING, new byte[0]));
            fenced = true;
        }
        writer = new Thread(() -> {
            try {
                out.write(write.toByteArray());
                out.flush();
            } catch (IOException e) {
                // Refused: the close frame read next says how.
            }
        }, "test client writer");
        writer.setDaemon(true);
        writer.start();
    }

    /**
     * Sends every text, each a message of one frame, in a single write: a flood, all of it sent
     * before the server reads the first. A server that refuses it closes the connection part way
     * through; the write may then fail, which tells nothing: the close frame read next says how.
     */
    public void sendAllRefusable(List<String> texts) {
        ByteArrayOutputStream burst = new ByteArrayOutputStream();
        for (String text : texts) {
            burst.writeBytes(frameBytes(TEXT, text.getBytes(StandardCharsets.UTF_8)));
        }
        // A ping last, in the same write, so the server reads it with the rest: its pong, if it
        // comes before a close, proves the server handled every message and kept the connection.
        burst.writeBytes(frameBytes(PING, new byte[0]));
        fenced = true;
        try {
            out.write(burst.toByteArray());
            out.flush();
        } catch (IOException e) {
            // Refused: the close frame read next says how.
        }
    }

    /**
     * Reads up to the server's close frame, past any message, and tells how it closed. After a
     * send the server may refuse, it fails as soon as the server is known to have kept the
     * connection: a ping sent behind what the test sent comes back as a pong before any close (a
     * server handles a connection's frames in order, and sends nothing after its close frame).
     */
    public Close awaitClose(String expected) {
        early.clear();
        fenceRefusableSend();
        try {
            Message message = read();
            while (message.opcode() != CLOSE) {
                if (message.opcode() == PONG && fenced) {
                    return fail("Expected %s, but the server handled all that %s sent and kept the connection open.", expected, name);
                }
                message = read();
            }
            return close(message);
        } catch (SocketTimeoutException e) {
            return fail("Expected %s within %d s, but it did not happen.", expected, TestClient.WAIT.toSeconds());
        } catch (IOException e) {
            return fail("Expected %s, but the connection of %s failed first: %s", expected, name, e);
        }
    }

    /**
     * Once a big message of {@link #sendRefusable} is all written, sends a ping behind it. A write
     * still blocked gets none: the close then comes, or the wait ends, as without it.
     */
    private void fenceRefusableSend() {
        if (writer == null) {
            return;
        }
        try {
            writer.join(TestClient.WAIT.toMillis());
            if (!writer.isAlive() && !fenced) {
                frame(PING, new byte[0]);
                fenced = true;
            }
        } catch (IOException e) {
            // Refused: the close frame read next says how.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        writer = null;
    }

    /** Reads the next binary message: the first read since connecting, perhaps long after it came. */
    public byte[] nextBinary(String expected, Todo todo) {
        Message message = next(expected, todo);
        if (message.opcode() != BINARY) {
            fail("Expected %s as a binary message, but a %s message arrived.%n  -> %s",
                    expected, message.opcode() == TEXT ? "text" : "control", todo);
        }
        return message.payload();
    }

    /** Reads the next text message: the first read since connecting, perhaps long after it came. */
    public String nextText(String expected, Todo todo) {
        Message message = next(expected, todo);
        if (message.opcode() != TEXT) {
            fail("Expected %s as a text message, but a %s message arrived.%n  -> %s",
                    expected, message.opcode() == BINARY ? "binary" : "control", todo);
        }
        return text(message);
    }

    private static String text(Message message) {
        return new String(message.payload(), StandardCharsets.UTF_8);
    }

    /**
     * Reads up to the server's next ping, keeping the messages before it for the read methods, and
     * returns its payload. The client answers no ping unless the test calls {@link #pong}.
     */
    public byte[] nextPing(String expected, Todo todo) {
        try {
            for (Message message = read(); ; message = read()) {
                if (message.opcode() == PING) {
                    return message.payload();
                }
                if (message.opcode() == CLOSE) {
                    return fail("Expected %s, but the server closed the connection of %s: %s%n  -> %s", expected, name, close(message), todo);
                }
                early.add(message);
            }
        } catch (SocketTimeoutException e) {
            return fail("Expected %s, but %s received none within %d s.%n  -> %s", expected, name, TestClient.WAIT.toSeconds(), todo);
        } catch (IOException e) {
            return fail("Expected %s, but the connection of %s failed: %s%n  -> %s", expected, name, e, todo);
        }
    }

    /** Answers a ping: a pong with the ping's {@code payload}, as a client that is alive does. */
    public void pong(byte[] payload) {
        try {
            frame(PONG, payload);
        } catch (IOException e) {
            fail("The test could not send a pong from %s: %s", name, e);
        }
    }

    private Message next(String expected, Todo todo) {
        if (!early.isEmpty()) {
            return early.remove();
        }
        try {
            Message message = read();
            while (message.opcode() == PONG) {
                message = read();
            }
            if (message.opcode() == CLOSE) {
                fail("Expected %s, but the server closed the connection of %s: %s%n  -> %s", expected, name, close(message), todo);
            }
            return message;
        } catch (SocketTimeoutException e) {
            return fail("Expected %s, but %s received nothing within %d s.%n  -> %s",
                    expected, name, TestClient.WAIT.toSeconds(), todo);
        } catch (IOException e) {
            return fail("Expected %s, but the connection of %s failed: %s%n  -> %s", expected, name, e, todo);
        }
    }

    /** A close frame's code and reason (RFC 6455, 5.5.1); one without a code means 1005. */
    private static Close close(Message frame) {
        byte[] payload = frame.payload();
        if (payload.length < 2) {
            return new Close(1005, "");
        }
        int code = (payload[0] & 0xFF) << 8 | payload[1] & 0xFF;
        return new Close(code, new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8));
    }

    /** Reads one whole message, joining its fragments; control frames come alone. */
    private Message read() throws IOException {
        ByteArrayOutputStream payload = new ByteArrayOutputStream();
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
            // A server's frames are never masked (RFC 6455, 5.1).
            payload.write(in.readNBytes((int) length));
            if (payload.size() < length) {
                throw new EOFException();
            }
        } while (!fin);
        return new Message(opcode, payload.toByteArray());
    }

    /** Writes one frame, masked as a client's frames must be (RFC 6455, 5.3). */
    private void frame(int opcode, byte[] payload) throws IOException {
        out.write(frameBytes(opcode, payload));
        out.flush();
    }

    /** One frame's bytes, masked as a client's frames must be. */
    private static byte[] frameBytes(int opcode, byte[] payload) {
        ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 14);
        frame.write(0x80 | opcode);
        if (payload.length < 126) {
            frame.write(0x80 | payload.length);
        } else if (payload.length < 65536) {
            frame.write(0x80 | 126);
            frame.write(payload.length >> 8);
            frame.write(payload.length);
        } else {
            frame.write(0x80 | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                frame.write((int) ((long) payload.length >> shift));
            }
        }
        byte[] mask = new byte[4];
        ThreadLocalRandom.current().nextBytes(mask);
        frame.write(mask, 0, mask.length);
        byte[] masked = new byte[payload.length];
        for (int i = 0; i < payload.length; i++) {
            masked[i] = (byte) (payload[i] ^ mask[i & 3]);
        }
        frame.write(masked, 0, masked.length);
        return frame.toByteArray();
    }

    /** Drops the connection, as a client that went away. */
    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // Closing is all the test wanted; a failure to do it leaves nothing behind.
        }
    }
}
