package workbook.tool;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import workbook.tool.Manifest.Lesson;

/**
 * Puts a lesson's files back as shipped, after saving the learner's versions under
 * {@code .workbook/backups/<lesson>-<time>/}: a reset never loses work, and {@link #restore} brings
 * the latest backup back.
 *
 * <p>As shipped means as the workbook's upstream has it ({@code origin}, where the learner cloned it
 * from), not as the learner may have committed it since; without an upstream, as committed.
 */
final class Reset {

    /** A reset or restore that cannot be done; the message says why, in one line. */
    static final class Refused extends Exception {
        Refused(String message) {
            super(message);
        }
    }

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");
    private static final Path BACKUPS = Path.of(".workbook/backups");

    private Reset() {
    }

    /** @return the folder that holds the learner's versions */
    static Path reset(Workbook workbook, Lesson lesson, LocalDateTime now) throws IOException, InterruptedException, Refused {
        String revision = shippedRevision(workbook);
        byte[][] shipped = new byte[lesson.edit().size()][];
        for (int i = 0; i < shipped.length; i++) {
            shipped[i] = show(workbook, revision, workbook.root().relativize(workbook.lessonDir(lesson).resolve(lesson.edit().get(i))));
        }
        Path backup = backUp(workbook, lesson, now);
        for (int i = 0; i < shipped.length; i++) {
            Path file = workbook.lessonDir(lesson).resolve(lesson.edit().get(i));
            Files.createDirectories(file.getParent());
            Files.write(file, shipped[i]);
        }
        return backup;
    }

    /**
     * Puts the lesson's latest backup back, after backing up the files it replaces.
     *
     * @return the backup put back
     */
    static Path restore(Workbook workbook, Lesson lesson, LocalDateTime now) throws IOException, Refused {
        Path latest = latestBackup(workbook, lesson)
                .orElseThrow(() -> new Refused("Lesson " + lesson.number() + " has no backup in " + BACKUPS + "/: nothing to restore."));
        backUp(workbook, lesson, now);
        for (String edit : lesson.edit()) {
            Path saved = latest.resolve(edit);
            if (Files.exists(saved)) {
                Files.copy(saved, workbook.lessonDir(lesson).resolve(edit), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return latest;
    }

    private static Path backUp(Workbook workbook, Lesson lesson, LocalDateTime now) throws IOException {
        Path backup = workbook.root().resolve(BACKUPS).resolve(lesson.id() + "-" + STAMP.format(now));
        for (int n = 2; Files.exists(backup); n++) {
            backup = backup.resolveSibling(lesson.id() + "-" + STAMP.format(now) + "-" + n);
        }
        for (String edit : lesson.edit()) {
            Path file = workbook.lessonDir(lesson).resolve(edit);
            if (Files.exists(file)) {
                Path saved = backup.resolve(edit);
                Files.createDirectories(saved.getParent());
                Files.copy(file, saved, StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
        return backup;
    }

    private static Optional<Path> latestBackup(Workbook workbook, Lesson lesson) throws IOException {
        Path backups = workbook.root().resolve(BACKUPS);
        if (!Files.isDirectory(backups)) {
            return Optional.empty();
        }
        // <id>-<stamp>, or <id>-<stamp>-<n> for the n-th backup within that second.
        Pattern name = Pattern.compile(Pattern.quote(lesson.id()) + "-(\\d{8}-\\d{6})(?:-(\\d{1,4}))?");
        try (Stream<Path> folders = Files.list(backups)) {
            return folders.map(folder -> name.matcher(folder.getFileName().toString())).filter(Matcher::matches)
                    .max(Comparator.comparing((Matcher backup) -> backup.group(1))
                            .thenComparingInt(backup -> backup.group(2) == null ? 1 : Integer.parseInt(backup.group(2))))
                    .map(backup -> backups.resolve(backup.group()));
        }
    }

    /** The upstream's revision if there is one (origin/HEAD, else the branch's upstream), else HEAD. */
    private static String shippedRevision(Workbook workbook) throws IOException, InterruptedException, Refused {
        for (String revision : new String[] {"origin/HEAD", "@{upstream}", "HEAD"}) {
            try {
                if (git(workbook, "rev-parse", "--verify", "--quiet", revision + "^{commit}").exitCode() == 0) {
                    return revision;
                }
            } catch (IOException e) {
                throw new Refused("Cannot reset: git is needed to find the shipped version, and it did not run (" + e.getMessage() + ").");
            }
        }
        throw new Refused("Cannot reset: " + workbook.root() + " is not a git clone of the workbook, so there is no"
                + " shipped version to put back.");
    }

    private static byte[] show(Workbook workbook, String revision, Path file) throws IOException, InterruptedException, Refused {
        Git shown = git(workbook, "show", revision + ":" + file.toString().replace('\\', '/'));
        if (shown.exitCode() != 0) {
            throw new Refused("Cannot reset: " + revision + " has no " + file + ".");
        }
        return shown.output();
    }

    private record Git(int exitCode, byte[] output) {
    }

    private static Git git(Workbook workbook, String... args) throws IOException, InterruptedException {
        String[] command = new String[args.length + 1];
        command[0] = "git";
        System.arraycopy(args, 0, command, 1, args.length);
        Process git = new ProcessBuilder(command).directory(workbook.root().toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] output = git.getInputStream().readAllBytes();
        return new Git(git.waitFor(), output);
    }
}
