package workbook.capstone;

import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.annotations.OnWebSocketError;
import org.eclipse.jetty.websocket.api.annotations.OnWebSocketOpen;
import org.eclipse.jetty.websocket.api.annotations.WebSocket;

import workbook.server.Failures;

/** One client's connection. TODO (author): the lesson's endpoint; its tasks are the TODOs below. */
@WebSocket
public class CapstoneEndpoint {

    /** The first message every client gets. */
    static final String WELCOME = "Welcome to lesson 12.";

    @OnWebSocketOpen
    public void onOpen(Session session) {
        // TODO 1: push WELCOME to the client as soon as it connects, without blocking.
    }

    @OnWebSocketError
    public void onError(Session session, Throwable cause) {
        Failures.log(session, cause);
    }
}
