package workbook.tool.bench;

/**
 * What a client reads from a message it receives: which message it is, and when it was sent.
 *
 * @param seq the message's number: messages are numbered in the order they are sent
 * @param sentNanos when it was sent, in {@link System#nanoTime()}'s terms: server and clients share
 *        one JVM, so they share that clock
 */
record Stamp(long seq, long sentNanos) {

    /** What a message sent by the bench carries, in its text, so that any server can pass it on. */
    private static final String MARK = "bench ";

    /** The text of a message the bench sends, e.g. {@code bench 17 81234567890123}. */
    String text() {
        return MARK + seq + " " + sentNanos;
    }

    /** The stamp in a text that carries {@link #text()}, even inside JSON; null if there is none. */
    static Stamp in(String text) {
        int at = text.indexOf(MARK);
        if (at < 0) {
            return null;
        }
        int space = text.indexOf(' ', at + MARK.length());
        if (space < 0) {
            return null;
        }
        return new Stamp(number(text, at + MARK.length()), number(text, space + 1));
    }

    /** The digits of a whole number at {@code from}, up to the first character that is not one. */
    static long number(String text, int from) {
        long value = 0;
        for (int i = from; i < text.length() && Character.isDigit(text.charAt(i)); i++) {
            value = value * 10 + text.charAt(i) - '0';
        }
        return value;
    }
}
