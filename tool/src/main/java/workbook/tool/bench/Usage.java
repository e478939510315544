package workbook.tool.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * What serving costs, measured inside the one JVM that runs both the server and the bench.
 *
 * <p>CPU: the CPU time of each Java thread, from ThreadMXBean, summed over every thread but the
 * bench's own (its load generator, and the thread that waits for it). What is left is the
 * server's: Jetty's selector and pool threads, and the lesson's own (a scheduler, a repository's
 * delivery threads). The process's CPU minus the bench's would count the JIT compiler and the
 * garbage collector too, which are not Java threads: the first server measured would pay for
 * compiling Jetty. A thread that starts in the window counts from zero; one that ends in it loses
 * its time (Jetty's pool keeps a thread a minute, a window is seconds).
 *
 * <p>Memory: the heap in use right after a full collection, so that garbage not yet collected
 * does not count; the bench subtracts what it was before the server started.
 */
final class Usage {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

    private Usage() {
    }

    /** The CPU time of every live thread so far, in ns, by thread id. */
    static Map<Long, Long> cpuByThread() {
        Map<Long, Long> times = new HashMap<>();
        for (long id : THREADS.getAllThreadIds()) {
            long nanos = THREADS.getThreadCpuTime(id);
            if (nanos >= 0) {
                times.put(id, nanos);
            }
        }
        return times;
    }

    /** The CPU time that the threads but {@code excluded} used between two {@link #cpuByThread()}, in ns. */
    static long cpuBetween(Map<Long, Long> before, Map<Long, Long> after, Set<Long> excluded) {
        return after.entrySet().stream().filter(thread -> !excluded.contains(thread.getKey()))
                .mapToLong(thread -> thread.getValue() - before.getOrDefault(thread.getKey(), 0L)).sum();
    }

    /**
     * The heap in use after full collections ({@code System.gc()}, a full one on the JVM's default G1), in
     * bytes: two, as an object that a cleaner frees after the first goes in the second.
     */
    static long heapAfterGc() {
        System.gc();
        System.gc();
        return MEMORY.getHeapMemoryUsage().getUsed();
    }
}
