package workbook.server;

import java.nio.charset.StandardCharsets;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.MimeTypes;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Answers a request that asks for a WebSocket but that the upgrade handler did not upgrade: with
 * 426 (Upgrade Required) and the version this server speaks when it asked for another version (RFC
 * 6455, 4.4), with 400 when it was malformed otherwise. Without this, such a request would go on
 * to the live page and get 200 and HTML, which no WebSocket client understands.
 */
final class RefusedUpgrades extends Handler.Wrapper {

    private static final String VERSION = "13";

    RefusedUpgrades(Handler next) {
        super(next);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (!"websocket".equalsIgnoreCase(request.getHeaders().get(HttpHeader.UPGRADE))) {
            return super.handle(request, response, callback);
        }
        boolean otherVersion = !VERSION.equals(request.getHeaders().get(HttpHeader.SEC_WEBSOCKET_VERSION));
        response.setStatus(otherVersion ? HttpStatus.UPGRADE_REQUIRED_426 : HttpStatus.BAD_REQUEST_400);
        response.getHeaders().put(HttpHeader.SEC_WEBSOCKET_VERSION, VERSION);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, MimeTypes.Type.TEXT_PLAIN_UTF_8.asString());
        String body = otherVersion ? "This server speaks WebSocket version " + VERSION + " only.\n"
                : "A WebSocket upgrade request, but not a valid one (RFC 6455, 4.1).\n";
        response.write(true, StandardCharsets.UTF_8.encode(body), callback);
        return true;
    }
}
