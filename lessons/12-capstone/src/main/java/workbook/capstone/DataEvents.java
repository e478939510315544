package workbook.capstone;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A stand-in for another part of the program, such as a store that has just saved a row: it tells
 * its listeners of each new piece of data, and knows nothing about WebSockets. A listener registry,
 * as Node's EventEmitter: {@link #emit} calls every listener on the emitter's own thread, so a
 * listener must never block.
 */
public final class DataEvents {

    /** Listeners come and go while an emit walks the list: a copy-on-write list never breaks the walk. */
    private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();

    /** Calls {@code listener} with each new piece of data from now on; run what it returns to stop. */
    public Runnable subscribe(Consumer<String> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /** Tells every listener of {@code data}, in turn, on this thread. */
    public void emit(String data) {
        for (Consumer<String> listener : listeners) {
            listener.accept(data);
        }
    }

    /** How many listeners there are now. */
    public int listenerCount() {
        return listeners.size();
    }
}
