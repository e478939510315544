package workbook.tool;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;

import workbook.tool.Manifest.Lesson;

/** Where a workbook checkout keeps each lesson's parts. */
public record Workbook(Path root, Manifest manifest) {

    /** The folder of the lessons' modules, under the root. */
    public static final String LESSONS = "lessons";

    /** The manifest, relative to the root. */
    public static final String MANIFEST = LESSONS + "/manifest.yaml";

    public static Workbook at(Path root) throws IOException {
        return new Workbook(root, Manifest.read(root.resolve(MANIFEST)));
    }

    /** The lesson's Maven module: the learner's stub and the tests. */
    public Path lessonDir(Lesson lesson) {
        return root.resolve(LESSONS).resolve(lesson.id());
    }

    /** The reference solution: the files the learner edits, solved, at the same relative paths. */
    public Path solutionDir(Lesson lesson) {
        return root.resolve("solutions").resolve(lesson.id());
    }

    /** The lesson's corpus of known mistakes, beside its solution. */
    public Mistakes mistakes(Lesson lesson) throws IOException {
        return Mistakes.read(solutionDir(lesson).resolve(MISTAKES));
    }

    /** The file of a lesson's known mistakes, in its solution folder. */
    public static final String MISTAKES = "mistakes.yaml";

    /** A file of the workbook that does not read as YAML of the right shape: which, where, and why. */
    public static final class BrokenFile extends IOException {
        private final Path file;
        private final String where;

        BrokenFile(Path file, JsonProcessingException cause) {
            super(cause.getOriginalMessage().lines().findFirst().orElse(""), cause);
            JsonLocation at = cause.getLocation();
            this.file = file;
            this.where = at == null ? "" : ", line " + at.getLineNr() + ", column " + at.getColumnNr();
        }

        /** One line for the learner: the file relative to {@code root}, the place, why, and how to undo. */
        public String describe(Path root) {
            Path relative = root.toAbsolutePath().relativize(file.toAbsolutePath());
            return relative + where + ": " + getMessage() + ". Undo your edit of it (git diff " + relative + ").";
        }
    }

    /**
     * A workbook in {@code dir} with a copy of one lesson (sources and tests), its solution and the
     * manifest: for the tool's tests and benchmarks, which may break or solve it at will.
     */
    public Workbook copyLesson(Lesson lesson, Path dir) throws IOException {
        copyTree(lessonDir(lesson).resolve("src"), dir.resolve(LESSONS).resolve(lesson.id()).resolve("src"));
        copyTree(solutionDir(lesson), dir.resolve("solutions").resolve(lesson.id()));
        Files.copy(root.resolve(MANIFEST), dir.resolve(MANIFEST));
        return at(dir);
    }

    /** Deletes {@code dir} and all in it, as far as it can: for temporary folders. */
    public static void deleteTree(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // Gone already, or not ours to delete: nothing more to do.
        }
    }

    /** Copies the files under {@code from} to the same places under {@code to}, replacing any there. */
    public static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }
}
