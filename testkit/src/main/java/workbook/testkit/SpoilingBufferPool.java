package workbook.testkit;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.io.Retainable;
import org.eclipse.jetty.io.RetainableByteBuffer;
import org.eclipse.jetty.util.BufferUtil;

/**
 * The buffers of a test server. Jetty lends its buffers to an endpoint, e.g. the payload of
 * {@code onBinary(session, payload, callback)}, until the endpoint completes the callback; then it
 * may reuse them for other data at any moment. With Jetty's own pool a late use of the buffer reads
 * garbage only now and then, under load. This pool never reuses a buffer, and fills each one with
 * {@link #SPOILED} bytes the moment its last user gives it back: for a payload that has a buffer of
 * its own, any use after its callback completed sees garbage, every time. A message bigger than
 * what Jetty reads at once (4 KiB) has one; a smaller one is a slice of the connection's read
 * buffer, which the connection still holds when the callback completes: test with big messages.
 *
 * <p>As Jetty's pool does, it hands out buffers whose array, when they have one, is bigger than the
 * buffer and starts before it: code that uses {@code payload.array()} as if it were the message
 * fails here as it does in production. It also counts the buffers not given back, so that a test
 * can tell an endpoint that never completes its callback.
 */
final class SpoilingBufferPool implements ByteBufferPool {

    /** What a buffer holds once given back, and around the part that is lent. */
    static final byte SPOILED = (byte) 0xEE;

    /** Spoiled bytes before and after each buffer's part of its memory. */
    private static final int MARGIN = 64;

    private final AtomicInteger lent = new AtomicInteger();

    @Override
    public RetainableByteBuffer.Mutable acquire(int size, boolean direct) {
        // Direct when Jetty asks for direct, as its own pool gives: payload.array() must fail here as it does there.
        ByteBuffer memory = direct ? BufferUtil.allocateDirect(size + 2 * MARGIN) : BufferUtil.allocate(size + 2 * MARGIN);
        spoil(memory);
        ByteBuffer buffer = memory.clear().position(MARGIN).limit(MARGIN + size).slice();
        BufferUtil.clear(buffer);
        lent.incrementAndGet();
        return RetainableByteBuffer.wrap(buffer, new Retainable.ReferenceCounter() {
            @Override
            public boolean release() {
                boolean last = super.release();
                if (last) {
                    spoil(memory);
                    lent.decrementAndGet();
                }
                return last;
            }
        });
    }

    /** How many buffers are lent out now: none, once a server has stopped and every callback completed. */
    int lentOut() {
        return lent.get();
    }

    private static void spoil(ByteBuffer memory) {
        ByteBuffer whole = memory.duplicate().clear();
        while (whole.hasRemaining()) {
            whole.put(SPOILED);
        }
    }

    @Override
    public void clear() {
        // Nothing is pooled.
    }
}
