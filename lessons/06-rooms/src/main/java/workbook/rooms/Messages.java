package workbook.rooms;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The lesson's messages: JSON objects whose {@code type} field says what they are. This file is
 * done; {@link RoomsEndpoint} reads what a client sends with {@link #read}, and the server sends
 * the records below with {@code Json.write}.
 */
final class Messages {

    /**
     * The longest name a room may have. The server keeps every room's name, and each post carries
     * it to every member: a name of thousands of characters is an attack, not a room.
     */
    static final int MAX_ROOM_NAME = 64;

    /**
     * What a client sends, one of:
     * <pre>
     * {"type":"direct","to":"bob","text":"hi Bob"}      a message for every connection of one user
     * {"type":"join","room":"kitchen"}                  this connection enters a room
     * {"type":"leave","room":"kitchen"}                 and leaves it
     * {"type":"post","room":"kitchen","text":"dinner"}  a message for every member of a room
     * </pre>
     */
    record Request(String type, String to, String room, String text) {
    }

    /** To every connection of the user named in a direct message: {"type":"direct","from":"alice","text":"hi Bob"}. */
    record Direct(String type, String from, String text) {
    }

    /** To every member of a room: {"type":"room","room":"kitchen","from":"alice","text":"dinner"}. */
    record RoomMessage(String type, String room, String from, String text) {
    }

    /** To the connection that joined or left: {"type":"joined","room":"kitchen"}, {"type":"left",...}. */
    record Membership(String type, String room) {
    }

    /** To the sender of a message the server could not act on: {"type":"error","message":"..."}. */
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

    // A field the server does not know is ignored, as a browser would add one: only the four matter.
    private static final ObjectMapper MAPPER = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private Messages() {
    }

    /** {@code text} as a request of a known type with the fields that type needs. */
    static Request read(String text) throws Invalid {
        Request request;
        try {
            request = MAPPER.readValue(text, Request.class);
        } catch (JsonProcessingException e) {
            throw new Invalid("Not a JSON object such as {\"type\":\"join\",\"room\":\"kitchen\"}: " + shortened(text));
        }
        if (request == null || request.type() == null) {
            throw new Invalid("A message needs a \"type\": direct, join, leave or post.");
        }
        switch (request.type()) {
            case "direct" -> needs(request.to() != null && request.text() != null, "A direct message needs \"to\" and \"text\".");
            case "join", "leave" -> needs(request.room() != null, "A " + request.type() + " message needs a \"room\".");
            case "post" -> needs(request.room() != null && request.text() != null, "A post needs a \"room\" and a \"text\".");
            default -> throw new Invalid("Unknown type \"" + request.type() + "\": send direct, join, leave or post.");
        }
        if (request.room() != null && (request.room().isEmpty() || request.room().length() > MAX_ROOM_NAME)) {
            throw new Invalid("A room's name is 1 to " + MAX_ROOM_NAME + " characters, not " + request.room().length() + ".");
        }
        return request;
    }

    private static void needs(boolean present, String otherwise) throws Invalid {
        if (!present) {
            throw new Invalid(otherwise);
        }
    }

    private static String shortened(String text) {
        return text.length() <= 60 ? text : text.substring(0, 60) + "...";
    }
}
