package workbook.binary;

import org.eclipse.jetty.websocket.server.ServerWebSocketContainer;

import workbook.server.LessonServer;

/** Lesson 05: text, JSON and binary messages side by side. */
public final class BinaryServer extends LessonServer {

    /** The largest binary message a client may send: 256 KiB. */
    static final int MAX_BINARY_MESSAGE_SIZE = 256 * 1024;

    // tag::limit[]
    @Override
    protected void configure(ServerWebSocketContainer endpoints) {
        // A bigger message ends its connection with 1009 (message too big) as soon as it passes
        // the limit: a client cannot make the server hold more than this for one message.
        endpoints.setMaxBinaryMessageSize(MAX_BINARY_MESSAGE_SIZE); // <1>
        endpoints.addMapping("/", (request, response, callback) -> new BinaryEndpoint());
    }
    // end::limit[]

    public static void main(String[] args) throws Exception {
        run(new BinaryServer(), args);
    }
}
