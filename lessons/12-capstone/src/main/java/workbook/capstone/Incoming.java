package workbook.capstone;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A client's JSON message, e.g. {@code {"type":"broadcast","content":"hello all"}}: its type and its
 * content, as text.
 */
record Incoming(String type, String content) {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** {@code text} as a JSON message, or null when it is not a JSON object: plain text, then. */
    static Incoming parse(String text) {
        try {
            JsonNode json = MAPPER.readTree(text);
            if (json == null || !json.isObject()) {
                return null;
            }
            return new Incoming(json.path("type").asText(""), json.path("content").asText(""));
        } catch (JsonProcessingException e) {
            return null;
        }
    }
}
