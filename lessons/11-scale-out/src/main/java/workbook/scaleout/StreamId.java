package workbook.scaleout;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The id Redis gives an entry of a stream, {@code 1733450000000-0}: the time it was added in
 * milliseconds, and a number for entries of the same millisecond. Ids only grow, so they order the
 * entries, and they compare as two numbers, not as text ("9-0" comes before "10-0"). Given.
 */
record StreamId(long millis, long sequence) implements Comparable<StreamId> {

    /** An id as text, e.g. in a client's address: ?since=1733450000000-0. */
    static final Pattern FORMAT = Pattern.compile("([0-9]{1,18})-([0-9]{1,18})");
    /** The seq of a message as it is sent, e.g. "seq":"1733450000000-0". */
    private static final Pattern SEQ = Pattern.compile("\"seq\":\"(" + FORMAT.pattern() + ")\"");
    /** Comes before every id Redis gives. */
    static final StreamId ZERO = new StreamId(0, 0);

    /** {@code 1733450000000-0} as an id. */
    static StreamId parse(String id) {
        Matcher matcher = FORMAT.matcher(id);
        if (!matcher.matches()) {
            throw new IllegalArgumentException("Not a stream id: " + id);
        }
        return new StreamId(Long.parseLong(matcher.group(1)), Long.parseLong(matcher.group(2)));
    }

    /** The id in the seq of a message as clients get it, e.g. {"type":"message",...,"seq":"1733450000000-0",...}. */
    static StreamId of(String message) {
        Matcher matcher = SEQ.matcher(message);
        if (!matcher.find()) {
            throw new IllegalArgumentException("No stream id in the seq of: " + message);
        }
        return parse(matcher.group(1));
    }

    @Override
    public int compareTo(StreamId other) {
        int byTime = Long.compare(millis, other.millis);
        return byTime != 0 ? byTime : Long.compare(sequence, other.sequence);
    }

    @Override
    public String toString() {
        return millis + "-" + sequence;
    }
}
