package workbook.capstone;

import org.eclipse.jetty.websocket.server.ServerWebSocketContainer;

import workbook.server.LessonServer;

/** Lesson 12: TODO (author) say in a line what the learner's server does. */
public final class CapstoneServer extends LessonServer {

    @Override
    protected void configure(ServerWebSocketContainer endpoints) {
        endpoints.addMapping("/", (request, response, callback) -> new CapstoneEndpoint());
    }

    public static void main(String[] args) throws Exception {
        run(new CapstoneServer(), args);
    }
}
