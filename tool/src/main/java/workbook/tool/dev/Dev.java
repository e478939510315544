package workbook.tool.dev;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

import workbook.tool.LessonRunner;
import workbook.tool.LessonRunner.Code;
import workbook.tool.Manifest.Lesson;
import workbook.tool.Mistakes;
import workbook.tool.Mistakes.Mistake;
import workbook.tool.Workbook;

/**
 * {@code ./workbook dev ...}: the maintainers' part of the command, apart from the learner's, as
 * rustlings keeps its own in {@code src/dev/}. The learner's commands never need it.
 */
public final class Dev {

    public static final String USAGE = """
            Usage: ./workbook dev <command>   (for those who write lessons; see CONTRIBUTING.md)
              check [N] [--record] [--runs R]  the maintainers' check of lesson N, or of all: the stub fails each task,
                                               the solution passes every test, and the tests reject every known
                                               mistake, R times (default: as its entry says), with its recorded
                                               verdict; --record writes the verdicts the check prints
              new NN-name                      a new lesson, scaffolded: module, stub, tests, solution, known
                                               mistakes, page and manifest entry; the build accepts it at once
              benchmark-check [N] [--runs R]   how long a learner waits for a verdict, on lesson N or on each:
                                               ./workbook check N on the stub and on the solution, and watch's
                                               save to verdict, failing and solved; medians of R runs (5)
              bench-node [--clients C] [--rate R] [--seconds S] [--runs N] [--warm-up W]
                                               lesson 02's reference beside a Node.js ws relay (bench/node-relay,
                                               after npm ci there), each in a process of its own, N runs in turn
                                               (200 clients, 250 messages a second, 5 s, 3 runs, 10 s of warm-up)""";

    private Dev() {
    }

    /** @return the exit code; an argument it does not know is a {@link IllegalArgumentException} with the words */
    public static int run(Workbook workbook, PrintStream out, List<String> args) throws Exception {
        String command = args.isEmpty() ? "help" : args.get(0);
        List<String> rest = args.subList(Math.min(1, args.size()), args.size());
        return switch (command) {
            case "check" -> check(workbook, out, rest);
            case "new" -> NewLesson.create(workbook, out, rest);
            case "benchmark-check" -> benchmarkCheck(workbook, out, rest);
            case "bench-node" -> NodeBench.run(workbook, out, rest);
            case "help" -> {
                out.println(USAGE);
                yield 0;
            }
            default -> throw new IllegalArgumentException("Unknown dev command: " + command + "\n" + USAGE);
        };
    }

    /** The whole number at {@code at} in {@code args}, from 1; else {@code refusal} as the one line to say. */
    private static int number(List<String> args, int at, String refusal) {
        try {
            int number = Integer.parseInt(args.get(at));
            if (number >= 1) {
                return number;
            }
        } catch (IndexOutOfBoundsException | NumberFormatException e) {
            // Refused below, as for a number below 1.
        }
        throw new IllegalArgumentException(refusal);
    }

    /** The lesson N that {@code args} starts with, or every lesson when they start with no number. */
    private static List<Lesson> lessons(Workbook workbook, List<String> args) throws IOException {
        List<Lesson> all = workbook.manifest().lessons();
        if (args.isEmpty() || args.get(0).startsWith("--")) {
            return all;
        }
        String refusal = "No lesson " + args.get(0) + ": the lessons are numbered 1 to " + all.size() + ".";
        int number = number(args, 0, refusal);
        if (number > all.size()) {
            throw new IllegalArgumentException(refusal);
        }
        return List.of(all.get(number - 1));
    }

    private static int benchmarkCheck(Workbook workbook, PrintStream out, List<String> args) throws Exception {
        int at = args.indexOf("--runs");
        int runs = at < 0 ? 5 : number(args, at + 1, "--runs takes how many times to time each, e.g. --runs 5");
        return CheckBenchmark.run(workbook, out, lessons(workbook, args), runs);
    }

    private static int check(Workbook workbook, PrintStream out, List<String> args) throws IOException {
        boolean record = args.contains("--record");
        int at = args.indexOf("--runs");
        Integer runs = at < 0 ? null : number(args, at + 1, "--runs takes how many times to run each mistake, e.g. --runs 10");
        List<Lesson> lessons = lessons(workbook, args);
        LessonRunner runner = new LessonRunner(workbook);
        List<String> problems = new ArrayList<>();
        for (Lesson lesson : lessons) {
            out.println("Lesson " + lesson.number() + " (" + lesson.id() + ")...");
            // Read first: a broken corpus is said at once, not after the lesson's checks.
            Mistakes corpus = workbook.mistakes(lesson);
            List<String> found = new ArrayList<>(LessonCheck.stubProblems(lesson, runner.runEachTaskUntilItFails(lesson, Code.LEARNER)));
            found.addAll(LessonCheck.solutionProblems(lesson, runner.run(lesson, Code.REFERENCE)));
            found.addAll(MistakeCheck.corpusProblems(lesson, corpus));
            for (Mistake mistake : corpus.mistakes()) {
                found.addAll(MistakeCheck.problems(workbook, lesson, mistake, runs != null ? runs : mistake.runs(), record));
            }
            out.println(found.isEmpty() ? "  the stub fails each task, the solution passes, " + corpus.mistakes().size()
                    + " known mistakes are rejected" : String.join("\n", found).indent(2).stripTrailing());
            problems.addAll(found);
        }
        return problems.isEmpty() ? 0 : 1;
    }
}
