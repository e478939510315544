package workbook.testkit;

import static org.assertj.core.api.Assertions.fail;

/** Compares binary messages, and says where they differ, rather than printing thousands of bytes. */
public final class Payloads {

    /** How many 0xee bytes in a row, where others were expected, tell a spoiled buffer. */
    private static final int SPOILED_RUN = 16;

    private Payloads() {
    }

    /**
     * Fails unless {@code actual} equals {@code expected}: with the sizes, or the first byte that
     * differs, or, when bytes of a spoiled buffer arrived, what that means.
     *
     * @param what the message compared, in the learner's words, e.g. "the reply to 32 KiB sent"
     */
    public static void assertEqual(String what, byte[] expected, byte[] actual, Todo todo) {
        if (actual.length != expected.length) {
            fail("Expected %s: %d bytes, but got %d bytes.%n  -> %s", what, expected.length, actual.length, todo);
        }
        int first = -1;
        int spoiledRun = 0;
        boolean spoiled = false;
        for (int i = 0; i < expected.length; i++) {
            if (actual[i] != expected[i]) {
                first = first < 0 ? i : first;
            }
            // One 0xee byte may be chance; a run of them where other bytes belong is a spoiled buffer,
            // and so is a spoiled end, however short: a send still writing when its buffer went back.
            spoiledRun = actual[i] == SpoilingBufferPool.SPOILED && actual[i] != expected[i] ? spoiledRun + 1 : 0;
            spoiled |= spoiledRun >= SPOILED_RUN;
        }
        spoiled |= spoiledRun > 0;
        if (spoiled) {
            // Where the spoiled bytes start depends on timing: the message names no place.
            fail("Expected %s, but some of its bytes are 0xee: what the test server writes into a buffer the"
                    + " moment Jetty takes it back. The payload was read, or sent, after its callback was completed."
                    + " Copy the bytes out first, or complete the callback only once the send that uses them has"
                    + " completed.%n  -> %s", what, todo);
        }
        if (first >= 0) {
            fail("Expected %s, but byte %d of %d differs: expected 0x%02x, got 0x%02x.%n  -> %s",
                    what, first, expected.length, expected[first], actual[first], todo);
        }
    }
}
