package workbook.tool;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * A lesson's corpus of known mistakes, {@code solutions/NN-name/mistakes.yaml}: plausible wrong
 * versions of the reference solution, each made by a few edits of it. The maintainer build proves
 * that the lesson's tests reject every one, and that the check prints for it exactly the recorded
 * {@code verdict}; the lesson's page shows them under "Common mistakes". The file documents its fields.
 */
public record Mistakes(List<Mistake> mistakes) {

    /**
     * @param id a short name, e.g. {@code hash-set}
     * @param title the mistake in a few words, as the book's "Common mistakes" names it
     * @param why what goes wrong, and what to do instead: a sentence or two for the book
     * @param runs how many times the build runs the tests against it: 1 unless the bug is one of
     *        timing, where every run must fail all the same
     * @param edits how the mistake differs from the reference solution
     * @param verdict the first failure that {@code ./workbook check} prints for it, recorded
     */
    public record Mistake(String id, String title, String why, int runs, List<Edit> edits, String verdict) {
    }

    /**
     * In the solution's {@code file} (relative to the lesson folder, one of the lesson's edit
     * files), the text {@code replace}, which must occur exactly once, becomes {@code with}.
     */
    public record Edit(String file, String replace, String with) {

        /** The solution's text with this edit made; fails if {@code replace} is not there exactly once. */
        public String applyTo(String text, String where) {
            int at = text.indexOf(replace);
            if (at < 0 || text.indexOf(replace, at + 1) >= 0) {
                throw new IllegalArgumentException(where + ": the text to replace must occur exactly once in " + file
                        + (at < 0 ? ", but it is not there" : ", but it occurs more than once") + ":\n" + replace);
            }
            return text.substring(0, at) + with + text.substring(at + replace.length());
        }
    }

    /** No mistakes: for a lesson without a corpus file. */
    public static final Mistakes NONE = new Mistakes(List.of());

    /**
     * Records {@code verdict} as the verdict of mistake {@code id} in the corpus {@code file}, in
     * place: the rest of the file, comments included, stays as it is. For maintainers, through
     * {@code -Dworkbook.mistakes.record} (see CONTRIBUTING.md).
     */
    public static void recordVerdict(Path file, String id, String verdict) throws IOException {
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        Pattern start = Pattern.compile("  - id: " + Pattern.quote(id) + "\\s*(#.*)?");
        int entry = -1;
        for (int i = 0; i < lines.size() && entry < 0; i++) {
            entry = start.matcher(lines.get(i)).matches() ? i : -1;
        }
        int at = entry;
        while (at >= 0 && ++at < lines.size() && !lines.get(at).startsWith("    verdict:")) {
            // Up to the entry's verdict.
        }
        if (entry < 0 || at >= lines.size()) {
            throw new IllegalArgumentException(file + " has no verdict for mistake '" + id + "'");
        }
        int end = at + 1;
        while (end < lines.size() && (lines.get(end).isBlank() || lines.get(end).startsWith("      "))) {
            end++;
        }
        lines.subList(at, end).clear();
        List<String> block = new ArrayList<>(List.of("    verdict: |"));
        verdict.lines().forEach(line -> block.add(line.isEmpty() ? "" : "      " + line));
        lines.addAll(at, block);
        Files.write(file, lines);
    }

    /** Reads the corpus; every field is required, an unknown one is an error. */
    public static Mistakes read(Path file) throws IOException {
        if (!Files.exists(file)) {
            return NONE;
        }
        try {
            return new ObjectMapper(new YAMLFactory())
                    .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES, DeserializationFeature.FAIL_ON_NULL_CREATOR_PROPERTIES)
                    .readValue(file.toFile(), Mistakes.class);
        } catch (JsonProcessingException e) {
            throw new Workbook.BrokenFile(file, e);
        }
    }
}
