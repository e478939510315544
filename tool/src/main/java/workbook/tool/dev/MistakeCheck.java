package workbook.tool.dev;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import workbook.tool.LessonRunner;
import workbook.tool.Manifest.Lesson;
import workbook.tool.Mistakes;
import workbook.tool.Mistakes.Mistake;
import workbook.tool.Report;
import workbook.tool.Verdict;
import workbook.tool.Workbook;

/**
 * The maintainers' rule for a lesson's known mistakes (solutions/NN-name/mistakes.yaml): the tests
 * reject each one in every run, and the check says for it exactly what its entry records. See
 * CONTRIBUTING.md.
 */
public final class MistakeCheck {

    /** How many mistakes a lesson's corpus holds at least. */
    public static final int AT_LEAST = 3;

    private MistakeCheck() {
    }

    /** Problems with the corpus as a whole: too small, or an edit of a file the learner does not edit. */
    public static List<String> corpusProblems(Lesson lesson, Mistakes corpus) {
        List<String> problems = new ArrayList<>();
        if (corpus.mistakes().size() < AT_LEAST) {
            problems.add(lesson.id() + ": " + corpus.mistakes().size() + " known mistakes in solutions/" + lesson.id() + "/"
                    + Workbook.MISTAKES + "; a lesson needs at least " + AT_LEAST);
        }
        corpus.mistakes().forEach(mistake -> mistake.edits().stream().filter(edit -> !lesson.edit().contains(edit.file()))
                .forEach(edit -> problems.add(lesson.id() + ": mistake '" + mistake.id() + "' edits " + edit.file()
                        + ", which is no file the learner edits (" + lesson.edit() + ")")));
        return problems;
    }

    /**
     * Runs the lesson's tests against {@code mistake}, {@code runs} times, as a check does.
     *
     * @param record write what the check says into the entry's verdict where it differs, instead
     *        of reporting the difference
     * @return the problems found, in words; none if every run failed with the recorded verdict
     */
    public static List<String> problems(Workbook workbook, Lesson lesson, Mistake mistake, int runs, boolean record)
            throws IOException {
        String where = lesson.id() + " mistake '" + mistake.id() + "'";
        List<Report> reports = new LessonRunner(workbook).run(lesson, mistake, runs);
        if (!reports.get(0).compiled()) {
            return List.of(where + " does not compile, and a mistake the compiler catches needs no test: "
                    + reports.get(0).compileErrors());
        }
        List<String> problems = new ArrayList<>();
        String recorded = mistake.verdict().strip();
        for (int run = 1; run <= runs; run++) {
            Report report = reports.get(run - 1);
            if (report.passed()) {
                problems.add(where + " passes every test in run " + run + " of " + runs + ": the tests must reject it");
                continue;
            }
            String verdict = Verdict.failure(Verdict.firstFailure(lesson, report).orElseThrow());
            if (masked(verdict).equals(masked(recorded))) {
                continue;
            }
            if (record && run == 1) {
                Path corpus = workbook.solutionDir(lesson).resolve(Workbook.MISTAKES);
                Mistakes.recordVerdict(corpus, mistake.id(), verdict);
                recorded = verdict;
            } else {
                problems.add(where + ", run " + run + " of " + runs + ": the check says\n" + verdict.indent(2)
                        + "but its entry records\n" + recorded.indent(2)
                        + "If the new text is right, record it (-Dworkbook.mistakes.record, see CONTRIBUTING.md).");
            }
        }
        return problems;
    }

    /**
     * The text with the numbers that depend on timing as #: Jetty's byte counts ("262,145 >
     * 262,144") and times in epoch milliseconds. Every other number, a TODO's, a task's, a close
     * code, a line, must stay the same.
     */
    public static String masked(String text) {
        return text.replaceAll("\\d{1,3}(?:,\\d{3})+|\\d{10,}", "#");
    }
}
