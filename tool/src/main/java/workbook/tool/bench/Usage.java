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

    /** Clock ticks a second, the unit of /proc's CPU times: USER_HZ, 100 on every Linux but a few old ones. */
    private static final long TICKS_A_SECOND = ticksASecond();

    /**
     * The CPU time of a whole process so far, in ns: utime + stime from {@code /proc/<pid>/stat}
     * (fields 14 and 15), every thread's user and system time, its GC and JIT included, in clock ticks
     * (10 ms). Linux only; -1 if the process is gone.
     */
    static long processCpuNanos(long pid) {
        try {
            String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/" + pid + "/stat"));
            // After the command's name, in parentheses, which may hold spaces: field 3 on.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(fields[14 - 3]) + Long.parseLong(fields[15 - 3]);
            return ticks * (1_000_000_000L / TICKS_A_SECOND);
        } catch (java.io.IOException e) {
            return -1;
        }
    }

    private static long ticksASecond() {
        try {
            Process getconf = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String answer = new String(getconf.getInputStream().readAllBytes()).strip();
            return getconf.waitFor() == 0 ? Long.parseLong(answer) : 100;
        } catch (java.io.IOException | NumberFormatException e) {
            return 100;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 100;
        }
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
