package workbook.scaleout;

import org.eclipse.jetty.websocket.server.ServerWebSocketContainer;

import workbook.server.LessonServer;

/** Lesson 11: TODO (author) say in a line what the learner's server does. */
public final class ScaleOutServer extends LessonServer {

    @Override
    protected void configure(ServerWebSocketContainer endpoints) {
        endpoints.addMapping("/", (request, response, callback) -> new ScaleOutEndpoint());
    }

    public static void main(String[] args) throws Exception {
        run(new ScaleOutServer(), args);
    }
}
