package workbook.rooms;

import org.eclipse.jetty.websocket.server.ServerWebSocketContainer;

import workbook.server.LessonServer;

/** Lesson 06: TODO (author) say in a line what the learner's server does. */
public final class RoomsServer extends LessonServer {

    @Override
    protected void configure(ServerWebSocketContainer endpoints) {
        endpoints.addMapping("/", (request, response, callback) -> new RoomsEndpoint());
    }

    public static void main(String[] args) throws Exception {
        run(new RoomsServer(), args);
    }
}
