package workbook.tool;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClasspathRoots;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectUniqueId;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.TestTag;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

import workbook.testkit.LessonServerExtension;
import workbook.tool.LessonCompiler.Classes;
import workbook.tool.Manifest.Lesson;
import workbook.tool.Manifest.Task;
import workbook.tool.Mistakes.Edit;
import workbook.tool.Mistakes.Mistake;
import workbook.tool.Report.Outcome;

/**
 * Compiles a lesson (its main sources and its tests, see {@link LessonCompiler}) and runs its tests with the
 * JUnit Platform Launcher, in this JVM and in a class loader of its own, so that each run sees the
 * code as it is now and one lesson's classes never meet another's. The libraries come from this
 * JVM's class path, which holds everything the lessons use.
 */
public final class LessonRunner {

    /** Whose main sources to test. */
    public enum Code {
        /** The learner's files under lessons/NN-name, as they are now (as shipped: the stub). */
        LEARNER,
        /** The learner's files with the reference solution's copied over them. */
        REFERENCE
    }

    /** Where a lesson's main sources are, relative to the lesson folder (and to its solution's). */
    private static final Path MAIN_SOURCES = Path.of("src/main/java");

    private final Workbook workbook;
    private final LessonCompiler compiler;

    public LessonRunner(Workbook workbook) {
        this.workbook = workbook;
        this.compiler = new LessonCompiler(workbook);
    }

    /** How far a run of a lesson's tests goes. */
    private enum Scope {
        /** Every test, at once. */
        EVERY_TEST,
        /** Task by task in the manifest's order, until the first failing test: a learner's check. */
        FIRST_FAILURE,
        /** Task by task, each until its first failing test: whether each task has one. */
        FIRST_FAILURE_OF_EACH_TASK
    }

    /** Runs every test of the lesson. */
    public Report run(Lesson lesson, Code code) throws IOException {
        return run(lesson, code, Scope.EVERY_TEST);
    }

    /**
     * Runs the lesson's tests one by one, task by task in the manifest's order, and stops at the
     * first that fails: a quick verdict. Tests after it are not in the report.
     */
    public Report runUntilFirstFailure(Lesson lesson, Code code) throws IOException {
        return run(lesson, code, Scope.FIRST_FAILURE);
    }

    /**
     * Runs the lesson's tests task by task, each task until its first failing test: enough to tell
     * which tasks have a failing test (the stub must fail one of each), and no more.
     */
    public Report runEachTaskUntilItFails(Lesson lesson, Code code) throws IOException {
        return run(lesson, code, Scope.FIRST_FAILURE_OF_EACH_TASK);
    }

    private Report run(Lesson lesson, Code code, Scope scope) throws IOException {
        Path work = Files.createTempDirectory("workbook-" + lesson.id() + "-");
        try {
            Classes classes = compiler.compile(List.copyOf(mainSources(lesson, code).values()), testSources(lesson), work);
            if (!classes.compiled()) {
                return new Report(classes.errors(), List.of());
            }
            return test(lesson, classes, scope, null);
        } finally {
            Workbook.deleteTree(work);
        }
    }

    /**
     * Runs the lesson's tests against a known mistake (the reference solution with the mistake's
     * edits made), {@code runs} times over one compilation. The first run is a learner's check:
     * task by task until the first failure. The runs after it prove that the test that failed
     * fails every time: they run only the tests of its task, until the first failure.
     *
     * @return one report a run; a single report of compile errors if it does not compile
     */
    public List<Report> run(Lesson lesson, Mistake mistake, int runs) throws IOException {
        Path work = Files.createTempDirectory("workbook-" + lesson.id() + "-" + mistake.id() + "-");
        try {
            Map<Path, Path> main = mainSources(lesson, Code.REFERENCE);
            Map<String, String> edited = new TreeMap<>();
            for (Edit edit : mistake.edits()) {
                String text = edited.containsKey(edit.file()) ? edited.get(edit.file())
                        : Files.readString(workbook.solutionDir(lesson).resolve(edit.file()));
                edited.put(edit.file(), edit.applyTo(text, lesson.id() + " mistake '" + mistake.id() + "'"));
            }
            for (Map.Entry<String, String> file : edited.entrySet()) {
                Path relative = MAIN_SOURCES.relativize(Path.of(file.getKey()));
                Path source = work.resolve("src").resolve(relative);
                Files.createDirectories(source.getParent());
                main.put(relative, Files.writeString(source, file.getValue()));
            }
            Classes classes = compiler.compile(List.copyOf(main.values()), testSources(lesson), work.resolve("classes"));
            if (!classes.compiled()) {
                return List.of(new Report(classes.errors(), List.of()));
            }
            List<Report> reports = new ArrayList<>();
            Report first = test(lesson, classes, Scope.FIRST_FAILURE, null);
            reports.add(first);
            Integer failedTask = first.outcomes().stream().filter(outcome -> !outcome.passed()).findFirst()
                    .map(failure -> taskIndex(lesson, failure.tags())).orElse(null);
            for (int i = 1; i < runs; i++) {
                reports.add(test(lesson, classes, Scope.FIRST_FAILURE, failedTask));
            }
            return reports;
        } finally {
            Workbook.deleteTree(work);
        }
    }

    /**
     * Compiles the lesson's main sources into {@code classes}: what it takes to run its server.
     *
     * @return the compile errors as "file:line: message", relative to the workbook root
     */
    public List<String> compileMain(Lesson lesson, Code code, Path classes) throws IOException {
        return compiler.compileMain(List.copyOf(mainSources(lesson, code).values()), classes);
    }

    /** The lesson's main sources, each under its path relative to {@link #MAIN_SOURCES}. */
    private Map<Path, Path> mainSources(Lesson lesson, Code code) throws IOException {
        Map<Path, Path> main = javaFilesUnder(workbook.lessonDir(lesson).resolve(MAIN_SOURCES));
        if (code == Code.REFERENCE) {
            main.putAll(javaFilesUnder(workbook.solutionDir(lesson).resolve(MAIN_SOURCES)));
        }
        return main;
    }

    private List<Path> testSources(Lesson lesson) throws IOException {
        return List.copyOf(javaFilesUnder(workbook.lessonDir(lesson).resolve("src/test/java")).values());
    }

    private static Map<Path, Path> javaFilesUnder(Path root) throws IOException {
        Map<Path, Path> files = new TreeMap<>();
        if (Files.isDirectory(root)) {
            try (Stream<Path> walk = Files.walk(root)) {
                walk.filter(file -> file.toString().endsWith(".java"))
                        .forEach(file -> files.put(root.relativize(file), file));
            }
        }
        return files;
    }

    /**
     * @param onlyTask the place in the manifest of the one task whose tests to run (the tests of no
     *        task: the number of tasks), or null for all
     */
    private static Report test(Lesson lesson, Classes classes, Scope scope, Integer onlyTask) throws IOException {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        URL[] urls = {classes.tests().toUri().toURL(), classes.main().toUri().toURL()};
        try (URLClassLoader loader = new URLClassLoader(urls, LessonRunner.class.getClassLoader())) {
            // JUnit finds the test classes, and the tests find their resources, through this loader.
            thread.setContextClassLoader(loader);
            Launcher launcher = LauncherFactory.create();
            Listener listener = new Listener();
            LauncherDiscoveryRequest all = request(scope).selectors(selectClasspathRoots(Set.of(classes.tests()))).build();
            if (scope == Scope.EVERY_TEST) {
                launcher.execute(all, listener);
                return listener.report(codeLeftRunning(lesson));
            }
            // Task by task, in order, then the tests of no task.
            TestPlan plan = launcher.discover(all);
            Map<Integer, List<DiscoverySelector>> tasks = new TreeMap<>();
            plan.getRoots().stream().flatMap(root -> plan.getDescendants(root).stream()).filter(TestIdentifier::isTest)
                    .forEach(test -> tasks.computeIfAbsent(taskIndex(lesson, tags(test)), task -> new ArrayList<>())
                            .add(selectUniqueId(test.getUniqueId())));
            for (Map.Entry<Integer, List<DiscoverySelector>> task : tasks.entrySet()) {
                if (onlyTask == null || onlyTask.equals(task.getKey())) {
                    // Each execution stops at its first failing test (StopAtFirstFailure).
                    launcher.execute(request(scope).selectors(task.getValue()).build(), listener);
                }
                if (scope == Scope.FIRST_FAILURE && listener.outcomes.stream().anyMatch(outcome -> !outcome.passed())) {
                    break;
                }
            }
            return listener.report(codeLeftRunning(lesson));
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    /** A request to JUnit; one that stops at the first failing test, unless it runs every test. */
    private static LauncherDiscoveryRequestBuilder request(Scope scope) {
        return LauncherDiscoveryRequestBuilder.request()
                .configurationParameter("junit.jupiter.extensions.autodetection.enabled", String.valueOf(scope != Scope.EVERY_TEST));
    }

    /**
     * Whether a thread still runs the lesson's code now that its tests have ended: a loop that a
     * test gave up on (JUnit abandons a test thread that outlives its timeout, and Jetty one that
     * never returns), or a thread the learner started. A pool's idle thread runs no lesson code.
     */
    private static boolean codeLeftRunning(Lesson lesson) {
        String lessonPackage = lesson.server().substring(0, lesson.server().lastIndexOf('.') + 1);
        return Thread.getAllStackTraces().entrySet().stream()
                .filter(thread -> thread.getKey() != Thread.currentThread() && thread.getKey().isAlive())
                .anyMatch(thread -> Arrays.stream(thread.getValue()).anyMatch(frame -> frame.getClassName().startsWith(lessonPackage)));
    }

    /** The place in the manifest of the task of a test with these tags; tests of no task come last. */
    private static int taskIndex(Lesson lesson, Set<String> tags) {
        List<String> taskOrder = lesson.tasks().stream().map(Task::id).toList();
        return tags.stream().mapToInt(taskOrder::indexOf).filter(i -> i >= 0).min().orElse(taskOrder.size());
    }

    private static Set<String> tags(TestIdentifier test) {
        return test.getTags().stream().map(TestTag::getName).collect(Collectors.toSet());
    }

    /** Records each test's outcome, and that of each test class that failed as a whole. */
    private static final class Listener implements TestExecutionListener {
        private final List<Outcome> outcomes = Collections.synchronizedList(new ArrayList<>());
        /** What each failed test's clients received, by the test's unique id. */
        private final Map<String, String> wires = new ConcurrentHashMap<>();
        private TestPlan plan;

        Report report(boolean codeLeftRunning) {
            return new Report(List.of(), outcomes, codeLeftRunning);
        }

        @Override
        public void testPlanExecutionStarted(TestPlan testPlan) {
            plan = testPlan;
        }

        @Override
        public void executionSkipped(TestIdentifier test, String reason) {
            if (test.isTest() && !reason.equals(StopAtFirstFailure.REASON)) {
                outcomes.add(new Outcome(name(test), tags(test), "skipped: " + reason));
            }
        }

        @Override
        public void reportingEntryPublished(TestIdentifier test, ReportEntry entry) {
            entry.getKeyValuePairs().entrySet().stream().filter(pair -> pair.getKey().equals(LessonServerExtension.WIRE))
                    .forEach(pair -> wires.put(test.getUniqueId(), pair.getValue()));
        }

        @Override
        public void executionFinished(TestIdentifier test, TestExecutionResult result) {
            boolean failed = result.getStatus() != TestExecutionResult.Status.SUCCESSFUL;
            if (test.isTest() || failed && test.getSource().isPresent()) {
                String failure = failed ? result.getThrowable().map(LessonRunner::message).orElse("failed") : null;
                outcomes.add(new Outcome(name(test), tags(test), failure, failed ? wires.get(test.getUniqueId()) : null));
            }
        }

        /** "Lesson 1: Reply to the client > Task 1: Push a welcome text ... > a client gets ...", without the engine. */
        private String name(TestIdentifier test) {
            List<String> names = new ArrayList<>();
            for (TestIdentifier at = test; at != null && at.getParentId().isPresent(); at = plan.getParent(at).orElse(null)) {
                names.add(0, at.getDisplayName());
            }
            return String.join(" > ", names);
        }
    }

    private static String message(Throwable failure) {
        String message = failure.getMessage();
        return message == null || message.isBlank() ? failure.toString() : message.strip();
    }
}
