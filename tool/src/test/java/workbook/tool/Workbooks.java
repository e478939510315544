package workbook.tool;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

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

    /** A workbook in {@code dir} holding a copy of one shipped lesson, its solution and the manifest. */
    static Workbook copyOf(Lesson lesson, Path dir) throws IOException {
        Workbook shipped = shipped();
        copyTree(shipped.lessonDir(lesson).resolve("src"), dir.resolve("lessons").resolve(lesson.id()).resolve("src"));
        copyTree(shipped.solutionDir(lesson), dir.resolve("solutions").resolve(lesson.id()));
        Files.copy(shipped.root().resolve("lessons/manifest.yaml"), dir.resolve("lessons/manifest.yaml"));
        return Workbook.at(dir);
    }

    static void copyTree(Path from, Path to) throws IOException {
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
