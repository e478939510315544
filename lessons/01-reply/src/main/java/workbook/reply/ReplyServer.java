package workbook.reply;

import org.eclipse.jetty.websocket.server.ServerWebSocketContainer;

import workbook.reply.ReplyEndpoint.Format;
import workbook.server.LessonServer;

/** Lesson 01: a server that answers each client, in text on {@code /}, in JSON on {@code /json}. */
public final class ReplyServer extends LessonServer {

    // tag::mapping[]
    @Override
    protected void configure(ServerWebSocketContainer endpoints) {
        // The creator runs once for each upgrade request, so every connection gets an endpoint
        // object of its own. It is the place to read the request: here the path picks the format.
        endpoints.addMapping("/", (request, response, callback) -> new ReplyEndpoint(Format.TEXT));
        endpoints.addMapping("/json", (request, response, callback) -> new ReplyEndpoint(Format.JSON));
    }
    // end::mapping[]

    public static void main(String[] args) throws Exception {
        run(new ReplyServer(), args);
    }
}
