package workbook.binary;

import java.nio.ByteBuffer;
import java.util.stream.IntStream;

import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.annotations.OnWebSocketError;
import org.eclipse.jetty.websocket.api.annotations.OnWebSocketMessage;
import org.eclipse.jetty.websocket.api.annotations.WebSocket;

import workbook.server.Failures;
import workbook.server.Json;
import workbook.server.Sends;

/**
 * One client's connection. Text messages are requests: {@code bytes} asks for the bytes 0 to 4 in
 * a binary message, {@code json} for the same bytes as JSON; other text is answered in text.
 * A binary message is answered with its bytes reversed.
 */
@WebSocket
public class BinaryEndpoint {

    /** What a client asks for with "bytes" or "json". */
    static final byte[] BYTES = {0, 1, 2, 3, 4};

    /** The bytes as JSON, e.g. {"type":"bytes","data":[0,1,2,3,4]}. */
    record Bytes(String type, int[] data) {
    }

    /** The bytes as numbers: Jackson would write a byte[] as base64 text, not as an array. */
    private static final int[] NUMBERS = IntStream.range(0, BYTES.length).map(i -> BYTES[i]).toArray();

    // Jetty tells text frames from binary ones, and calls the method whose parameters fit.
    // tag::bytes[]
    @OnWebSocketMessage
    public void onText(Session session, String message) {
        switch (message) {
            // One binary frame of 5 bytes; wrap() shares the array, so send a fresh buffer each time.
            case "bytes" -> session.sendBinary(ByteBuffer.wrap(BYTES), Sends.LOG_FAILURE); // <1>
            case "json" -> session.sendText(Json.write(new Bytes("bytes", NUMBERS)), Sends.LOG_FAILURE);
            default -> session.sendText("Server received: \"" + message + "\"", Sends.LOG_FAILURE);
        }
    }
    // end::bytes[]

    // tag::reverse[]
    @OnWebSocketMessage
    public void onBinary(Session session, ByteBuffer payload, Callback callback) {
        // The payload is Jetty's buffer, valid only until the callback completes: copy it out first.
        byte[] reversed = new byte[payload.remaining()];
        for (int i = reversed.length - 1; i >= 0; i--) {
            reversed[i] = payload.get(); // <1>
        }
        callback.succeed(); // <2>
        session.sendBinary(ByteBuffer.wrap(reversed), Sends.LOG_FAILURE);
    }
    // end::reverse[]

    // Jetty calls this when a connection fails, or when a method above throws (it then closes the
    // connection with 1011). The server kit logs why; lesson 2 says more.
    @OnWebSocketError
    public void onError(Session session, Throwable cause) {
        Failures.log(session, cause);
    }
}
