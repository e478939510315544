package workbook.tool.dev;

import java.util.ArrayList;
import java.util.List;

import workbook.tool.Manifest.Lesson;
import workbook.tool.Manifest.Task;
import workbook.tool.Report;
import workbook.tool.Report.Outcome;

/**
 * The maintainers' rules for a shipped lesson: its stub fails at least one test of every task (so
 * that no task is done before the learner starts, and no task's tests cannot fail), and its
 * reference solution passes every test. Each method returns the problems found, in words.
 */
public final class LessonCheck {

    private LessonCheck() {
    }

    /** Problems with the tests as run against the shipped stub. */
    public static List<String> stubProblems(Lesson lesson, Report stub) {
        List<String> problems = new ArrayList<>();
        if (!stub.compiled()) {
            problems.add(lesson.id() + ": the stub must compile, so that the learner starts from failing tests, "
                    + "not compile errors: " + stub.compileErrors());
            return problems;
        }
        problems.addAll(tagProblems(lesson, stub));
        for (Task task : lesson.tasks()) {
            List<Outcome> tests = stub.of(task);
            if (tests.isEmpty()) {
                problems.add(lesson.id() + ": task '" + task.id() + "' has no tests: tag them @Tag(\"" + task.id() + "\")");
            } else if (tests.stream().allMatch(Outcome::passed)) {
                problems.add(lesson.id() + ": the stub passes every test of task '" + task.id() + "' (" + task.title()
                        + "): the stub must fail at least one of them, or the task is done before the learner starts");
            }
        }
        return problems;
    }

    /** Problems with the tests as run against the reference solution. */
    public static List<String> solutionProblems(Lesson lesson, Report solution) {
        List<String> problems = new ArrayList<>();
        if (!solution.compiled()) {
            problems.add(lesson.id() + ": the solution does not compile: " + solution.compileErrors());
        } else if (solution.outcomes().isEmpty()) {
            problems.add(lesson.id() + ": no test ran");
        }
        // The solution runs every test; the stub's check stops each task at its first failure.
        problems.addAll(tagProblems(lesson, solution));
        problems.addAll(nameProblems(lesson, solution));
        solution.outcomes().stream()
                .filter(outcome -> !outcome.passed())
                .forEach(outcome -> problems.add(lesson.id() + ": the solution fails '" + outcome.name() + "': " + outcome.failure()));
        return problems;
    }

    /**
     * A learner reads the manifest's names in the book and in the verdict's task list, and the
     * tests' names in the verdict's failure: they must be the same. The test class is named
     * {@code Lesson N: <title>}, and the class of a task's tests {@code Task i: <title>}, or
     * {@code Task i: <title>: <part>} when a task's tests come in parts.
     */
    private static List<String> nameProblems(Lesson lesson, Report report) {
        List<String> problems = new ArrayList<>();
        for (Outcome outcome : report.outcomes()) {
            String[] names = outcome.name().split(" > ");
            if (!names[0].equals(lesson.name())) {
                problems.add(lesson.id() + ": the test class is named '" + names[0] + "', the manifest says '" + lesson.name()
                        + "': write @DisplayName(\"" + lesson.name() + "\")");
            }
            for (int i = 0; i < lesson.tasks().size(); i++) {
                Task task = lesson.tasks().get(i);
                String taskName = "Task " + (i + 1) + ": " + task.title();
                if (outcome.tags().contains(task.id()) && names.length > 2
                        && !names[1].equals(taskName) && !names[1].startsWith(taskName + ": ")) {
                    problems.add(lesson.id() + ": the tests of task '" + task.id() + "' are in '" + names[1]
                            + "', the manifest says '" + taskName + "': write @DisplayName(\"" + taskName + "\")");
                }
            }
        }
        return problems.stream().distinct().toList();
    }

    /** A tag that names no task of the lesson is a typo that would hide a test from its task. */
    private static List<String> tagProblems(Lesson lesson, Report report) {
        List<String> taskIds = lesson.tasks().stream().map(Task::id).toList();
        return report.outcomes().stream()
                .flatMap(outcome -> outcome.tags().stream()
                        .filter(tag -> !taskIds.contains(tag))
                        .map(tag -> lesson.id() + ": '" + outcome.name() + "' has the tag '" + tag
                                + "', which is no task of the lesson (tasks: " + taskIds + ")"))
                .distinct()
                .toList();
    }
}
