package workbook.tool;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

import workbook.tool.Manifest.Lesson;

/**
 * Puts a lesson's files back as shipped (as committed in git), after saving the learner's
 * versions under {@code .workbook/backups/<lesson>-<time>/}: a reset never loses work.
 */
final class Reset {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private Reset() {
    }

    /** @return the folder that holds the learner's versions */
    static Path reset(Workbook workbook, Lesson lesson, LocalDateTime now) throws IOException, InterruptedException {
        Path backup = workbook.root().resolve(".workbook/backups").resolve(lesson.id() + "-" + STAMP.format(now));
        for (String edit : lesson.edit()) {
            Path file = workbook.lessonDir(lesson).resolve(edit);
            if (Files.exists(file)) {
                Path saved = backup.resolve(edit);
                Files.createDirectories(saved.getParent());
                Files.copy(file, saved, StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
        for (String edit : lesson.edit()) {
            Path file = workbook.lessonDir(lesson).resolve(edit);
            Files.write(file, shipped(workbook, workbook.root().relativize(file)));
        }
        return backup;
    }

    /** The file as committed, from {@code git show HEAD:<path>}. */
    private static byte[] shipped(Workbook workbook, Path file) throws IOException, InterruptedException {
        Process git = new ProcessBuilder("git", "show", "HEAD:" + file.toString().replace('\\', '/'))
                .directory(workbook.root().toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        byte[] content = git.getInputStream().readAllBytes();
        if (git.waitFor() != 0) {
            throw new IOException("git could not give the shipped " + file + ": is this a git clone of the workbook?");
        }
        return content;
    }
}
