package workbook.tool.bench;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.SplittableRandom;

/**
 * What RFC 6455 asks of a WebSocket client, for what the bench's generator writes: the opening
 * handshake and masked frames (the generator reads the server's frames itself, straight from its
 * read buffer). Not thread-safe: the generator's one thread owns it.
 */
final class Rfc6455 {

    static final int CONTINUATION = 0;
    static final int TEXT = 1;
    static final int CLOSE = 8;
    static final int PING = 9;
    static final int PONG = 10;
    /** A close frame's payload for 1000, a normal closure. */
    static final byte[] NORMAL_CLOSURE = {0x03, (byte) 0xE8};

    /** What the server hashes with the client's key to prove it speaks WebSocket (4.2.2). */
    private static final String ACCEPT_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    /** For keys and masks: any bytes will do, masking protects proxies from a hostile page, not a concern on loopback. */
    private final SplittableRandom random = new SplittableRandom();

    /** A new client's Sec-WebSocket-Key: 16 random bytes, in base 64 (4.1). */
    String key() {
        byte[] nonce = new byte[16];
        random.nextBytes(nonce);
        return Base64.getEncoder().encodeToString(nonce);
    }

    /** The opening handshake's request (4.1). */
    static ByteBuffer upgrade(String path, String host, int port, String key) {
        return ByteBuffer.wrap(("GET " + path + " HTTP/1.1\r\nHost: " + host + ":" + port
                + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + key
                + "\r\nSec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    }

    /** Whether the head of the server's response accepts the upgrade for {@code key} (4.2.2); null if it does, else why not. */
    static String refusal(String head, String key) {
        if (!head.startsWith("HTTP/1.1 101 ")) {
            return "the server answered the upgrade with " + head.lines().findFirst().orElse("");
        }
        if (!head.toLowerCase().contains("\r\nsec-websocket-accept: " + accept(key).toLowerCase())) {
            return "the server's upgrade response has no Sec-WebSocket-Accept for the client's key";
        }
        return null;
    }

    private static String accept(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest((key + ACCEPT_GUID).getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every JDK has SHA-1", e);
        }
    }

    /** A client's frame, in one piece: masked, as every client frame must be (5.3). */
    ByteBuffer frame(int opcode, byte[] payload) {
        ByteBuffer frame = ByteBuffer.allocate(14 + payload.length);
        frame.put((byte) (0x80 | opcode));
        if (payload.length < 126) {
            frame.put((byte) (0x80 | payload.length));
        } else if (payload.length < 65536) {
            frame.put((byte) (0x80 | 126)).putShort((short) payload.length);
        } else {
            frame.put((byte) (0x80 | 127)).putLong(payload.length);
        }
        byte[] mask = new byte[4];
        random.nextBytes(mask);
        frame.put(mask);
        for (int i = 0; i < payload.length; i++) {
            frame.put((byte) (payload[i] ^ mask[i & 3]));
        }
        return frame.flip();
    }
}
