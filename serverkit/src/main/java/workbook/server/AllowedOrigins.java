package workbook.server;

import java.net.URI;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * What lesson 09 builds, given to the lessons after it: the origins (scheme://host:port) of the
 * pages that may open a WebSocket on a server. A browser sends its page's origin with every upgrade
 * request; a page of another site must not act for its visitor, so the upgrade creator refuses
 * such a request with 403 before any WebSocket exists. A request without an Origin comes from no
 * page (a program, a test client): the Origin protects browsers' users, not the server.
 */
public final class AllowedOrigins {

    private final Set<String> origins = ConcurrentHashMap.newKeySet();

    /** Lets pages from {@code origin}, e.g. "https://example.com", open a WebSocket. */
    public void allow(String origin) {
        origins.add(origin);
    }

    /** Lets the live page of the server at {@code uri} (what start returns) in, whichever name the browser used. */
    public void allowPageOf(URI uri) {
        allow("http://localhost:" + uri.getPort());
        allow("http://127.0.0.1:" + uri.getPort());
    }

    /**
     * Whether {@code request} comes from an allowed page, or from no page at all: an exact match.
     * A request with two Origin headers is from no page a browser would send: refused, whichever
     * comes first.
     */
    public boolean allows(Request request) {
        List<String> sent = request.getHeaders().getValuesList(HttpHeader.ORIGIN);
        return sent.isEmpty() || sent.size() == 1 && origins.contains(sent.get(0));
    }

    /** Answers {@code request} with 403 and says why; null, for the upgrade creator to return: no WebSocket. */
    public static Object refuse(Request request, Response response, Callback callback) {
        Response.writeError(request, response, callback, HttpStatus.FORBIDDEN_403,
                "WebSockets from this page's origin are not allowed here.");
        return null;
    }
}
