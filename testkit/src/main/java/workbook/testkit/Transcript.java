package workbook.testkit;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.TimeUnit;

/**
 * What one test client received on the wire, for a failed test's report: the last few frames, each
 * with its time since the client connected. A verdict says what was expected; this shows what
 * happened just before, as a packet capture would, but in the learner's terms.
 */
final class Transcript {

    /** How many of the last frames to keep: enough to see what led up to the failure. */
    private static final int KEPT = 6;
    /** How much of a text message to show. */
    private static final int TEXT = 48;

    private final long connected = System.nanoTime();
    private final Deque<String> last = new ArrayDeque<>();
    private int frames;

    synchronized void text(String text) {
        String shown = text.length() > TEXT ? text.substring(0, TEXT) + "...(" + text.length() + " chars)" : text;
        add("text   \"" + shown.replace("\n", "\\n") + "\"");
    }

    synchronized void binary(int bytes) {
        add("binary " + bytes + " bytes");
    }

    synchronized void close(int code, String reason) {
        add("close  " + code + (reason == null || reason.isEmpty() ? "" : " \"" + reason + "\""));
    }

    private void add(String frame) {
        frames++;
        last.addLast(String.format("%+7d ms  %s", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - connected), frame));
        if (last.size() > KEPT) {
            last.removeFirst();
        }
    }

    /** The frames kept, one a line under {@code who}, and how many came before them. */
    synchronized String render(String who) {
        StringBuilder text = new StringBuilder(who).append(": ");
        text.append(frames == 0 ? "nothing" : frames == 1 ? "1 frame" : frames + " frames");
        if (frames > last.size()) {
            text.append(", the last ").append(last.size());
        }
        last.forEach(frame -> text.append("\n  ").append(frame));
        return text.toString();
    }
}
