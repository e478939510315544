package workbook.server;

import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.server.ServerWebSocketContainer;

/**
 * The smallest lesson server, for the kit's own tests: a WebSocket endpoint on {@code /} that reads
 * what comes and says nothing. What such a test sees is the kit's doing, not a lesson's.
 */
final class QuietServer extends LessonServer {

    @Override
    protected void configure(ServerWebSocketContainer endpoints) {
        endpoints.addMapping("/", (request, response, callback) -> new Session.Listener.AutoDemanding() {
        });
    }
}
