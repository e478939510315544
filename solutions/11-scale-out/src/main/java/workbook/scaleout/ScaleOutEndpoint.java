package workbook.scaleout;

import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.annotations.OnWebSocketError;
import org.eclipse.jetty.websocket.api.annotations.OnWebSocketOpen;
import org.eclipse.jetty.websocket.api.annotations.WebSocket;

import workbook.server.Failures;
import workbook.server.Sends;

/** One client's connection. TODO (author): the lesson's endpoint; its tasks are the TODOs below. */
@WebSocket
public class ScaleOutEndpoint {

    /** The first message every client gets. */
    static final String WELCOME = "Welcome to lesson 11.";

    // tag::welcome[]
    @OnWebSocketOpen
    public void onOpen(Session session) {
        session.sendText(WELCOME, Sends.LOG_FAILURE); // <1>
    }
    // end::welcome[]

    @OnWebSocketError
    public void onError(Session session, Throwable cause) {
        Failures.log(session, cause);
    }
}
