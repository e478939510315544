package workbook.tool.bench;

import static workbook.tool.bench.Rfc6455.CLOSE;
import static workbook.tool.bench.Rfc6455.CONTINUATION;
import static workbook.tool.bench.Rfc6455.NORMAL_CLOSURE;
import static workbook.tool.bench.Rfc6455.PING;
import static workbook.tool.bench.Rfc6455.PONG;
import static workbook.tool.bench.Rfc6455.TEXT;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * The bench's clients: those that count what they receive, one publisher, and those that stall,
 * all driven by ONE thread with a java.nio {@link Selector}, speaking RFC 6455 themselves
 * ({@link Rfc6455}): handshake, masked client frames, the server's unmasked frames, ping, close. It shares no code
 * with Jetty or with the server under test, so it cannot hide a fault they share.
 *
 * <p>One thread, because the generator must cost less per message than the server it measures,
 * and its load must show when it runs short: a thread per client would spend more on waking
 * threads than the server spends on sending. It reads every socket into one buffer and keeps, per client, only the bytes of a frame
 * cut off at the end of a read. It also paces the publishing, so that a message's send time and
 * its reads are taken on the same thread, by the same clock.
 *
 * <p>A run: connect everyone (each client's ping answered proves the server has its session),
 * warm up (publishing, not counting), measure for the window, wait for the window's last messages,
 * then close. {@link #run} is meant for a thread of its own; {@link #result()} tells how it went.
 */
final class LoadGenerator implements Runnable {

    static final Duration CONNECT_LIMIT = Duration.ofSeconds(20);
    /** How long the window's last messages may take to arrive after it, at most. */
    static final Duration DRAIN_LIMIT = Duration.ofSeconds(2);
    static final Duration CLOSE_LIMIT = Duration.ofSeconds(2);

    /** A stalled client's kernel receive buffer: small, so that what it does not read soon waits in the server. */
    private static final int STALLED_RECEIVE_BUFFER = 4 * 1024;
    /** The most a frame may hold: the bench's messages are short, and one buffer serves every read. */
    private static final int READ_BUFFER = 64 * 1024;
    private static final byte[] NOTHING = {};

    /** What a run measured; {@code heapAfterGc} is the heap in use after a full collection, once the window's last messages came. */
    record Result(Stats stats, long serverCpuNanos, long generatorCpuNanos, long cpuWallNanos, long cpuDeliveries,
                  long heapAfterGc, int dropped) {

        /** The share of one core that the generator's thread used while measured, 1.0 for all of it. */
        double generatorLoad() {
            return (double) generatorCpuNanos / cpuWallNanos;
        }
    }

    private enum State { CONNECTING, UPGRADING, PINGED, OPEN, CLOSING, CLOSED }

    private static final class Connection {
        final int index;
        final SocketChannel channel;
        final String key;
        SelectionKey selection;
        State state = State.CONNECTING;
        /** The bytes of a response or frame that a read cut off, to complete with the next. */
        byte[] pending = NOTHING;
        /** A fragmented message's parts so far, and its opcode; null between messages. */
        ByteArrayOutputStream fragments;
        int fragmentsOpcode;
        final ArrayDeque<ByteBuffer> outgoing = new ArrayDeque<>();
        /** When the latest message it received was sent. */
        long lastSent = Long.MIN_VALUE;

        Connection(int index, SocketChannel channel, String key) {
            this.index = index;
            this.channel = channel;
            this.key = key;
        }
    }

    private final InetSocketAddress address;
    private final String path;
    private final Publishing publishing;
    /** Clients 0 to clients - 1 count; then the publisher; then the stalled ones. */
    private final int clients;
    private final long period;
    private final Duration warmUp;
    private final Duration window;
    /** The thread that made the generator, the bench's: its CPU time is not the server's, nor is the generator's. */
    private final long owner = Thread.currentThread().getId();
    private final ByteBuffer in = ByteBuffer.allocateDirect(READ_BUFFER);
    private final Rfc6455 protocol = new Rfc6455();
    private final Connection[] connections;
    /** The server's CPU time so far, in ns, when it runs in a process of its own; null: this JVM's threads but the bench's. */
    private final LongSupplier processCpu;
    private Selector selector;
    private Stats stats;
    private boolean pacing;
    private long nextPublish;
    private long seq;
    /** Stamped messages the counting clients read, whenever sent: what the server's CPU time is divided by. */
    private long delivered;
    private int dropped;
    private String firstProblem;
    private volatile int opened;
    private volatile String phase = "connecting";
    private volatile long measuring;
    private volatile Result result;
    private volatile String failure;

    /**
     * @param rate messages a second that the bench publishes, if the lesson is {@link Publishing#paced()}
     * @param warmUp how long to publish before measuring: the JIT compiles the server's hot paths
     */
    LoadGenerator(URI uri, Publishing publishing, int clients, int stalled, int rate, Duration warmUp, Duration window) {
        this(uri, publishing, clients, stalled, rate, warmUp, window, null);
    }

    /** @param processCpu the CPU time so far of a server in another process, in ns ({@link External}) */
    LoadGenerator(URI uri, Publishing publishing, int clients, int stalled, int rate, Duration warmUp, Duration window,
                  LongSupplier processCpu) {
        this.processCpu = processCpu;
        this.address = new InetSocketAddress(uri.getHost(), uri.getPort());
        this.path = uri.getRawPath();
        this.publishing = publishing;
        this.clients = clients;
        this.period = 1_000_000_000L / rate;
        this.warmUp = warmUp;
        this.window = window;
        this.connections = new Connection[clients + 1 + stalled];
    }

    /** The whole run: the longest it can take, a bound for whoever waits for it. */
    static Duration limit(Duration warmUp, Duration window) {
        return CONNECT_LIMIT.plus(warmUp).plus(window).plus(DRAIN_LIMIT).plus(CLOSE_LIMIT);
    }

    /** The result, once the run has ended. */
    Result result() throws Bench.Failure {
        if (failure != null) {
            throw new Bench.Failure(failure);
        }
        return result;
    }

    /** Where the run is, in a few words, for a progress line. */
    String status() {
        if (phase.equals("measuring")) {
            double done = Math.min(1, (System.nanoTime() - measuring) / (double) window.toNanos());
            int filled = (int) (done * 20);
            return "[" + "#".repeat(filled) + "-".repeat(20 - filled) + "] measuring, "
                    + (long) (done * window.toSeconds()) + " of " + window.toSeconds() + " s";
        }
        return phase.equals("connecting") ? "connecting, " + opened + " of " + connections.length : phase;
    }

    @Override
    public void run() {
        try (Selector opened = Selector.open()) {
            selector = opened;
            measure();
        } catch (Bench.Failure e) {
            failure = e.getMessage();
        } catch (IOException e) {
            failure = "The load generator failed: " + e;
        } finally {
            for (Connection c : connections) {
                if (c != null) {
                    closeQuietly(c);
                }
            }
        }
    }

    private void measure() throws IOException, Bench.Failure {
        long self = Thread.currentThread().getId();
        for (int i = 0; i < connections.length; i++) {
            connect(i);
        }
        loop(deadline(CONNECT_LIMIT), () -> opened + dropped == connections.length);
        if (opened < connections.length) {
            throw new Bench.Failure("Only " + opened + " of " + connections.length + " clients connected within "
                    + CONNECT_LIMIT.toSeconds() + " s" + (firstProblem == null ? "." : ": " + firstProblem));
        }
        phase = "warming up";
        pacing = publishing.paced();
        nextPublish = System.nanoTime();
        loop(deadline(warmUp), () -> false);

        phase = "measuring";
        long from = System.nanoTime();
        measuring = from;
        stats = new Stats(clients, from, from + window.toNanos());
        Map<Long, Long> cpuBefore = Usage.cpuByThread();
        long processBefore = processCpu == null ? 0 : processCpu.getAsLong();
        long deliveredBefore = delivered;
        loop(stats.to, () -> false);

        // Until every client has read a message sent after the window: then it has read all it will of the window's.
        phase = "waiting for the last messages";
        loop(deadline(DRAIN_LIMIT), this::caughtUp);
        Map<Long, Long> cpuAfter = Usage.cpuByThread();
        long processAfter = processCpu == null ? 0 : processCpu.getAsLong();
        long wall = System.nanoTime() - from;
        pacing = false;
        long heap = processCpu == null ? Usage.heapAfterGc() : 0;
        long serverCpu = processCpu != null ? processAfter - processBefore
                : Usage.cpuBetween(cpuBefore, cpuAfter, Set.copyOf(List.of(owner, self)));
        result = new Result(stats, serverCpu, cpuAfter.get(self) - cpuBefore.get(self), wall, delivered - deliveredBefore, heap, dropped);

        phase = "closing";
        for (Connection c : connections) {
            if (c.state == State.OPEN) {
                send(c, protocol.frame(CLOSE, NORMAL_CLOSURE));
                c.state = State.CLOSING;
            }
        }
        // Stalled clients read nothing, not even the server's close: their sockets just close, below.
        loop(deadline(CLOSE_LIMIT), () -> Arrays.stream(connections, 0, clients + 1).allMatch(c -> c.state == State.CLOSED));
    }

    private static long deadline(Duration after) {
        return System.nanoTime() + after.toNanos();
    }

    /** Whether every counting client still open has read a message sent after the window. */
    private boolean caughtUp() {
        for (int i = 0; i < clients; i++) {
            if (connections[i].state != State.CLOSED && connections[i].lastSent < stats.to) {
                return false;
            }
        }
        return true;
    }

    /** Serves the sockets until {@code until} (nanoTime) or {@code done}, publishing whenever a message is due. */
    private void loop(long until, BooleanSupplier done) throws IOException {
        for (long now = System.nanoTime(); now < until && !done.getAsBoolean(); now = System.nanoTime()) {
            long next = pacing ? Math.min(until, nextPublish) : until;
            if (next <= now) {
                selector.selectNow(this::ready);
            } else {
                selector.select(this::ready, Math.max(1, (next - now) / 1_000_000));
            }
            while (pacing && nextPublish <= System.nanoTime()) {
                Stamp stamp = new Stamp(seq++, System.nanoTime());
                if (stats != null) {
                    stats.published(stamp);
                }
                publishing.publish(stamp.text(), text -> send(connections[clients], protocol.frame(TEXT, text.getBytes(StandardCharsets.UTF_8))));
                nextPublish += period;
            }
        }
    }

    private void connect(int index) throws IOException {
        SocketChannel channel = SocketChannel.open();
        channel.configureBlocking(false);
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        if (index > clients) {
            // Before connecting, so that the window the client offers the server stays small.
            channel.setOption(StandardSocketOptions.SO_RCVBUF, STALLED_RECEIVE_BUFFER);
        }
        Connection c = new Connection(index, channel, protocol.key());
        connections[index] = c;
        c.selection = channel.register(selector, SelectionKey.OP_CONNECT, c);
        if (channel.connect(address)) {
            upgrade(c);
        }
    }

    private void upgrade(Connection c) {
        c.state = State.UPGRADING;
        c.selection.interestOps(SelectionKey.OP_READ);
        send(c, Rfc6455.upgrade(path + publishing.query(c.index), address.getHostString(), address.getPort(), c.key));
    }

    private void ready(SelectionKey key) {
        Connection c = (Connection) key.attachment();
        try {
            if (key.isConnectable() && c.channel.finishConnect()) {
                upgrade(c);
            }
            if (key.isValid() && key.isWritable()) {
                flush(c);
            }
            if (key.isValid() && key.isReadable()) {
                read(c);
            }
        } catch (IOException e) {
            drop(c, e.toString());
        }
    }

    private void read(Connection c) throws IOException {
        in.clear();
        in.put(c.pending);
        int read = c.channel.read(in);
        in.flip();
        long now = System.nanoTime();
        if (c.state == State.UPGRADING && !handshake(c)) {
            c.pending = remaining();
        } else {
            frames(c, now);
            c.pending = c.state == State.CLOSED ? NOTHING : remaining();
        }
        if (read < 0 && c.state != State.CLOSED) {
            drop(c, "the server closed the connection without a close frame");
        }
    }

    private byte[] remaining() {
        if (!in.hasRemaining()) {
            return NOTHING;
        }
        byte[] bytes = new byte[in.remaining()];
        in.get(bytes);
        return bytes;
    }

    /** Reads the handshake's response, if it has all come; false if not yet. Leaves {@code in} at what follows it. */
    private boolean handshake(Connection c) throws IOException {
        String head = StandardCharsets.ISO_8859_1.decode(in.duplicate()).toString();
        int end = head.indexOf("\r\n\r\n");
        if (end < 0 && in.limit() == in.capacity()) {
            throw new IOException("the server's answer to the upgrade never ends");
        }
        if (end < 0) {
            return false;
        }
        String refusal = Rfc6455.refusal(head.substring(0, end), c.key);
        if (refusal != null) {
            throw new IOException(refusal);
        }
        in.position(in.position() + end + 4);
        c.state = State.PINGED;
        // The greeting (a join, say) before the ping: the pong then proves the server has handled it.
        String greeting = publishing.greeting();
        if (greeting != null) {
            send(c, protocol.frame(TEXT, greeting.getBytes(StandardCharsets.UTF_8)));
        }
        send(c, protocol.frame(PING, NOTHING));
        return true;
    }

    /** Handles every whole frame in {@code in} (RFC 6455, 5.2), and leaves it at the first that is cut off. */
    private void frames(Connection c, long now) throws IOException {
        while (in.remaining() >= 2 && c.state != State.CLOSED) {
            int at = in.position();
            int first = in.get(at) & 0xFF;
            int second = in.get(at + 1) & 0xFF;
            long length = second & 0x7F;
            int header = length == 126 ? 4 : length == 127 ? 10 : 2;
            if (in.remaining() < header) {
                return;
            }
            length = length == 126 ? in.getShort(at + 2) & 0xFFFF : length == 127 ? in.getLong(at + 2) : length;
            if ((second & 0x80) != 0) {
                throw new IOException("the server sent a masked frame, which RFC 6455 forbids (5.1)");
            }
            if (length > READ_BUFFER - header) {
                throw new IOException("the server sent a frame of " + length + " bytes, more than the bench reads ("
                        + READ_BUFFER / 1024 + " KiB)");
            }
            if (in.remaining() < header + length) {
                return;
            }
            byte[] payload = new byte[(int) length];
            in.position(at + header).get(payload);
            frame(c, (first & 0x80) != 0, first & 0x0F, payload, now);
        }
    }

    private void frame(Connection c, boolean fin, int opcode, byte[] payload, long now) throws IOException {
        switch (opcode) {
            case PING -> send(c, protocol.frame(PONG, payload));
            case PONG -> {
                if (c.state == State.PINGED) {
                    c.state = State.OPEN;
                    opened++;
                    if (c.index > clients) {
                        c.selection.interestOps(0);
                    }
                }
            }
            case CLOSE -> {
                if (c.state == State.CLOSING) {
                    closeQuietly(c);
                } else {
                    boolean coded = payload.length >= 2;
                    send(c, protocol.frame(CLOSE, coded ? new byte[] {payload[0], payload[1]} : NOTHING));
                    drop(c, "the server closed the connection" + (coded ? " with " + ((payload[0] & 0xFF) << 8 | payload[1] & 0xFF) : ""));
                }
            }
            default -> message(c, fin, opcode, payload, now);
        }
    }

    /** A data frame: a whole message, or a fragment of one (RFC 6455, 5.4). */
    private void message(Connection c, boolean fin, int opcode, byte[] payload, long now) {
        if (opcode != CONTINUATION && fin) {
            received(c, opcode, payload, now);
            return;
        }
        if (opcode != CONTINUATION) {
            c.fragments = new ByteArrayOutputStream();
            c.fragmentsOpcode = opcode;
        }
        if (c.fragments != null) {
            c.fragments.writeBytes(payload);
            if (fin) {
                received(c, c.fragmentsOpcode, c.fragments.toByteArray(), now);
                c.fragments = null;
            }
        }
    }

    private void received(Connection c, int opcode, byte[] payload, long now) {
        if (opcode != TEXT || c.index >= clients) {
            return;
        }
        Stamp stamp = publishing.stamp(new String(payload, StandardCharsets.UTF_8));
        if (stamp != null) {
            delivered++;
            c.lastSent = Math.max(c.lastSent, stamp.sentNanos());
            if (stats != null) {
                stats.received(c.index, stamp, now);
            }
        }
    }

    /** Writes what it can now; the rest waits for the socket to take more. */
    private void send(Connection c, ByteBuffer bytes) {
        if (c.state == State.CLOSED) {
            return;
        }
        c.outgoing.add(bytes);
        try {
            flush(c);
        } catch (IOException e) {
            drop(c, e.toString());
        }
    }

    private void flush(Connection c) throws IOException {
        while (!c.outgoing.isEmpty()) {
            c.channel.write(c.outgoing.peek());
            if (c.outgoing.peek().hasRemaining()) {
                c.selection.interestOps(c.selection.interestOps() | SelectionKey.OP_WRITE);
                return;
            }
            c.outgoing.remove();
        }
        if (c.selection.isValid()) {
            c.selection.interestOps(c.selection.interestOps() & ~SelectionKey.OP_WRITE);
        }
    }

    /** A connection that failed, not closed by the close handshake: its messages count as lost. */
    private void drop(Connection c, String why) {
        if (c.state == State.CLOSED) {
            return;
        }
        if (firstProblem == null) {
            firstProblem = why;
        }
        if (c.state != State.CLOSING) {
            dropped++;
        }
        closeQuietly(c);
    }

    private void closeQuietly(Connection c) {
        if (c.state == State.CLOSED) {
            return;
        }
        c.state = State.CLOSED;
        try {
            c.channel.close();
        } catch (IOException e) {
            // Closed either way: nothing more to read from it.
        }
    }
}
