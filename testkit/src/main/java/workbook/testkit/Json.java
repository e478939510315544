package workbook.testkit;

import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Reads the JSON a server pushed, failing with a learner-worded message when it is not JSON. */
public final class Json {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {
    }

    /** Parses {@code text}, which should be one JSON object. */
    public static JsonNode object(String text, Todo todo) {
        try {
            JsonNode node = MAPPER.readTree(text);
            if (node != null && node.isObject()) {
                return node;
            }
        } catch (JsonProcessingException e) {
            // Not JSON at all: answered below, as for JSON that is not an object.
        }
        return fail("Expected a JSON object such as {\"type\":...}, but got: %s%n  -> %s", text, todo);
    }
}
