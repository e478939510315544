package workbook.binary;

import org.eclipse.jetty.websocket.server.ServerWebSocketContainer;

import workbook.server.LessonServer;

/** Lesson 05: text, JSON and binary messages side by side. */
public final class BinaryServer extends LessonServer {

    /** The largest binary message a client may send: 256 KiB. */
    static final int MAX_BINARY_MESSAGE_SIZE = 256 * 1024;

    @Override
    protected void configure(ServerWebSocketContainer endpoints) {
        // TODO 3: accept binary messages up to MAX_BINARY_MESSAGE_SIZE (Jetty's default is 64 KiB),
        //         a setting of the container. A bigger one then ends its connection with 1009
        //         (message too big) as soon as it passes the limit.
        endpoints.addMapping("/", (request, response, callback) -> new BinaryEndpoint());
    }

    public static void main(String[] args) throws Exception {
        run(new BinaryServer(), args);
    }
}
