package workbook.testkit;

import java.nio.ByteBuffer;

import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.io.Retainable;
import org.eclipse.jetty.io.RetainableByteBuffer;
import org.eclipse.jetty.util.BufferUtil;

/**
 * The buffers of a test server. Jetty lends its buffers to an endpoint, e.g. the payload of
 * {@code onBinary(session, payload, callback)}, until the endpoint completes the callback; then it
 * may reuse them for other data at any moment. With Jetty's own pool a late use of the buffer reads
 * garbage only now and then, under load. This pool makes it certain: it never reuses a buffer, and
 * it fills each one with {@link #SPOILED} bytes the moment its last user gives it back.
 */
final class SpoilingBufferPool implements ByteBufferPool {

    /** What a buffer holds once given back. */
    static final byte SPOILED = (byte) 0xEE;

    @Override
    public RetainableByteBuffer.Mutable acquire(int size, boolean direct) {
        // Direct when Jetty asks for direct, as its own pool gives: payload.array() must fail here as it does there.
        ByteBuffer buffer = direct ? BufferUtil.allocateDirect(size) : BufferUtil.allocate(size);
        return RetainableByteBuffer.wrap(buffer, new Retainable.ReferenceCounter() {
            @Override
            public boolean release() {
                boolean last = super.release();
                if (last) {
                    ByteBuffer whole = buffer.duplicate().clear();
                    while (whole.hasRemaining()) {
                        whole.put(SPOILED);
                    }
                }
                return last;
            }
        });
    }

    @Override
    public void clear() {
        // Nothing is pooled.
    }
}
