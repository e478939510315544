package workbook.slowconsumers;

import org.eclipse.jetty.websocket.server.ServerWebSocketContainer;

import workbook.server.LessonServer;

/** Lesson 07: TODO (author) say in a line what the learner's server does. */
public final class SlowConsumersServer extends LessonServer {

    @Override
    protected void configure(ServerWebSocketContainer endpoints) {
        endpoints.addMapping("/", (request, response, callback) -> new SlowConsumersEndpoint());
    }

    public static void main(String[] args) throws Exception {
        run(new SlowConsumersServer(), args);
    }
}
