package workbook.tool;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import workbook.tool.Manifest.Lesson;
import workbook.tool.Manifest.Task;
import workbook.tool.Report.Outcome;

/** A check's result in the learner's terms: which tasks pass, the first failure, what to edit. */
public final class Verdict {

    private Verdict() {
    }

    public static String format(Lesson lesson, Report report) {
        List<String> lines = new ArrayList<>();
        lines.add(lesson.name());
        if (!report.compiled()) {
            lines.add("  Your code does not compile:");
            report.compileErrors().forEach(error -> lines.add("    " + error));
            return String.join("\n", lines);
        }
        for (int i = 0; i < lesson.tasks().size(); i++) {
            Task task = lesson.tasks().get(i);
            List<Outcome> tests = report.of(task);
            String state = tests.isEmpty() ? "[?]" : tests.stream().allMatch(Outcome::passed) ? "[x]" : "[ ]";
            lines.add("  " + state + " Task " + (i + 1) + ": " + task.title() + (tests.isEmpty() ? " (not checked yet)" : ""));
        }
        if (report.passed()) {
            lines.add("  All " + report.outcomes().size() + " tests pass. Well done!");
        } else {
            firstFailure(lesson, report).ifPresent(failure -> {
                lines.add("");
                failure(failure).lines().forEach(line -> lines.add("  " + line));
                if (failure.wire() != null) {
                    lines.add("");
                    lines.add("  What the test's clients received last (ms after each connected):");
                    failure.wire().lines().forEach(line -> lines.add("    " + line));
                }
            });
            lines.add("");
            lesson.edit().forEach(file -> lines.add("  Edit: " + Workbook.LESSONS + "/" + lesson.id() + "/" + file));
        }
        return String.join("\n", lines);
    }

    /** A failed test as the verdict shows it: its name, then its message, indented. */
    public static String failure(Outcome failure) {
        // No trailing spaces (AssertJ leaves some): the corpus records this text, and editors trim them.
        return ("First failure: " + failure.name() + "\n" + failure.failure().indent(2)).lines()
                .map(String::stripTrailing).collect(Collectors.joining("\n"));
    }

    /** The first failing test in task order; then any other failing test. */
    public static Optional<Outcome> firstFailure(Lesson lesson, Report report) {
        for (Task task : lesson.tasks()) {
            Optional<Outcome> failure = report.of(task).stream().filter(outcome -> !outcome.passed()).findFirst();
            if (failure.isPresent()) {
                return failure;
            }
        }
        return report.outcomes().stream().filter(outcome -> !outcome.passed()).findFirst();
    }
}
