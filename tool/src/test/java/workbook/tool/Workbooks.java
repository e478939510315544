package workbook.tool;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import workbook.tool.Manifest.Lesson;

/** The workbook under test, and copies of its lessons that tests may break. */
final class Workbooks {

    private Workbooks() {
    }

    /** This checkout: surefire passes its root (see the module's pom.xml). */
    static Workbook shipped() {
        try {
            return Workbook.at(Path.of(System.getProperty("workbook.root", "..")).toAbsolutePath().normalize());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Puts {@code code} in lesson 01's stub in {@code copy}, where its onOpen has TODO 1: the first
     * learner code a check runs, e.g. {@code System.exit(3);}.
     */
    static void atTodo1(Workbook copy, Lesson reply, String code) throws IOException {
        Path endpoint = copy.lessonDir(reply).resolve(reply.edit().get(0));
        Files.writeString(endpoint, Files.readString(endpoint).replace("        // TODO 1: push WELCOME",
                "        " + code + " // TODO 1: push WELCOME"));
    }

    /** A workbook in {@code dir} holding a copy of one shipped lesson, its solution and the manifest. */
    static Workbook copyOf(Lesson lesson, Path dir) throws IOException {
        return shipped().copyLesson(lesson, dir);
    }
}
