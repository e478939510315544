package workbook.tool;

import java.io.IOException;
import java.nio.file.Path;

import workbook.tool.Manifest.Lesson;

/** Where a workbook checkout keeps each lesson's parts. */
public record Workbook(Path root, Manifest manifest) {

    public static Workbook at(Path root) throws IOException {
        return new Workbook(root, Manifest.read(root.resolve("lessons/manifest.yaml")));
    }

    /** The lesson's Maven module: the learner's stub and the tests. */
    public Path lessonDir(Lesson lesson) {
        return root.resolve("lessons").resolve(lesson.id());
    }

    /** The reference solution: the files the learner edits, solved, at the same relative paths. */
    public Path solutionDir(Lesson lesson) {
        return root.resolve("solutions").resolve(lesson.id());
    }
}
