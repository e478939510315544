package workbook.resume;

import org.eclipse.jetty.websocket.server.ServerWebSocketContainer;

import workbook.server.LessonServer;

/** Lesson 07: TODO (author) say in a line what the learner's server does. */
public final class ResumeServer extends LessonServer {

    @Override
    protected void configure(ServerWebSocketContainer endpoints) {
        endpoints.addMapping("/", (request, response, callback) -> new ResumeEndpoint());
    }

    public static void main(String[] args) throws Exception {
        run(new ResumeServer(), args);
    }
}
