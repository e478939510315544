package workbook.security;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The lesson's messages: JSON objects whose {@code type} field says what they are. This file is
 * done; {@link SecurityEndpoint} reads what a client sends with {@link #read}, and the server sends
 * the records below with {@code Json.write}.
 */
final class Messages {

    /**
     * What a client sends, one of:
     * <pre>
     * {"type":"join","room":"kitchen"}                                 this connection enters a room
     * {"type":"post","room":"kitchen","from":"alice","text":"dinner"}  a message for every member of a room
     * </pre>
     * A post names its sender: the server must check that it names the connection's own user.
     */
    record Request(String type, String room, String from, String text) {
    }

    /** To every member of a room: {"type":"room","room":"kitchen","from":"alice","text":"dinner"}. */
    record RoomMessage(String type, String room, String from, String text) {
    }

    /** To the connection that joined: {"type":"joined","room":"kitchen"}. */
    record Joined(String type, String room) {
    }

    /** To the sender of a message the server could not read: {"type":"error","message":"..."}. */
    record Error(String type, String message) {
        Error(String message) {
            this("error", message);
        }
    }

    /** A message that is not JSON, or not one of those above: its text is what the sender is told. */
    static final class Invalid extends Exception {
        Invalid(String message) {
            super(message, null, false, false);
        }
    }

    private static final ObjectMapper MAPPER = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private Messages() {
    }

    /** {@code text} as a request of a known type, its names (room, sender) valid names. */
    static Request read(String text) throws Invalid {
        Request request;
        try {
            request = MAPPER.readValue(text, Request.class);
        } catch (JsonProcessingException e) {
            throw new Invalid("Not a JSON object such as {\"type\":\"join\",\"room\":\"kitchen\"}.");
        }
        if (request == null || request.type() == null) {
            throw new Invalid("A message needs a \"type\": join or post.");
        }
        // Names are short and plain, so that a close reason that quotes one stays within 123 bytes.
        needs(isName(request.room()), "A message needs a \"room\": 1 to 32 letters, digits, - or _.");
        switch (request.type()) {
            case "join" -> { }
            case "post" -> needs(isName(request.from()) && request.text() != null, "A post needs a \"from\" and a \"text\".");
            default -> throw new Invalid("Unknown type: send join or post.");
        }
        return request;
    }

    private static boolean isName(String name) {
        return name != null && SecurityServer.NAME.matcher(name).matches();
    }

    private static void needs(boolean present, String otherwise) throws Invalid {
        if (!present) {
            throw new Invalid(otherwise);
        }
    }
}
