package workbook.scaleout;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;

import io.lettuce.core.RedisURI;

import workbook.server.LessonServer;

/**
 * What {@code ./workbook serve 11} runs: a Redis ({@link LocalRedis}) and two instances of the
 * lesson's server that share it, on port P and P + 1 (8080 and 8081 by default), until Ctrl-C.
 * Given.
 */
final class Instances {

    private Instances() {
    }

    /** Runs two instances made by {@code instance} on the port given as {@code args[0]} and the next. */
    static void run(Function<RedisURI, LessonServer> instance, String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8080;
        String host = args.length > 1 ? args[1] : LessonServer.LOOPBACK;
        LocalRedis redis;
        try {
            redis = LocalRedis.start();
        } catch (IllegalStateException e) {
            System.err.println(e.getMessage());
            System.exit(1);
            return;
        }
        List<LessonServer> running = new ArrayList<>();
        // Ctrl-C runs shutdown hooks: the instances close their clients with 1001, then Redis stops.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(running, redis)));
        System.out.println("Redis: " + redis.uri().getHost() + ":" + redis.uri().getPort() + (redis.startedHere() ? " (started here, for this run)"
                : " (yours, from " + LocalRedis.URL_VARIABLE + ")"));
        for (int next = port; next <= port + 1; next++) {
            LessonServer server = instance.apply(redis.uri());
            try {
                server.start(host, next);
            } catch (Exception e) {
                System.err.println("Cannot start an instance on " + host + ":" + next + ": " + e.getMessage()
                        + ". Is another server running there, or Redis out of reach? Choose another port (--port P).");
                System.exit(1);
            }
            running.add(server);
            System.out.println("Instance " + running.size() + ": live page " + server.page());
        }
        System.out.println("Open one tab on each instance, send from either: both tabs get every message."
                + " (Ctrl-C stops both instances and Redis)");
        new CountDownLatch(1).await();
    }

    private static void stop(List<LessonServer> running, LocalRedis redis) {
        for (LessonServer server : running) {
            try {
                server.stop();
            } catch (Exception e) {
                System.err.println("An instance did not stop cleanly: " + e);
            }
        }
        redis.close();
    }
}
