package workbook.reply;

import workbook.reply.ReplyEndpoint.Format;
import workbook.server.LessonServer;

/** Lesson 01: a server that answers each client, in text on {@code /}, in JSON on {@code /json}. */
public final class ReplyServer extends LessonServer {

    public ReplyServer() {
        super(endpoints -> {
            // tag::mapping[]
            // The creator runs once for each upgrade request, so every connection gets an endpoint
            // object of its own. It is the place to read the request: here the path picks the format.
            endpoints.addMapping("/", (request, response, callback) -> new ReplyEndpoint(Format.TEXT));
            endpoints.addMapping("/json", (request, response, callback) -> new ReplyEndpoint(Format.JSON));
            // end::mapping[]
        });
    }

    public static void main(String[] args) throws Exception {
        run(new ReplyServer(), args);
    }
}
