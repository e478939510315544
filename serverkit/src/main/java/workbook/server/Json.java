package workbook.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * JSON for the lessons after the first, which shows Jackson itself. Records become JSON objects,
 * their components the fields.
 */
public final class Json {

    /** Thread-safe once configured: one for the whole program. */
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {
    }

    /** {@code value} as JSON text, e.g. {@code {"type":"update","value":42}}. */
    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            // Records of strings, numbers and arrays, which is all the lessons send, always convert.
            throw new IllegalArgumentException("Not convertible to JSON: " + value, e);
        }
    }
}
