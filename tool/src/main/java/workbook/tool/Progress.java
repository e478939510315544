package workbook.tool;

import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.io.Writer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Properties;
import java.util.function.Consumer;

import workbook.tool.Manifest.Lesson;

/**
 * What the workbook remembers between calls, in {@code .workbook/progress.properties} (ignored by
 * git): which lessons passed, for which content of the learner's files, and how many hints each
 * has shown. A lesson is done while its files are as they were when it passed.
 *
 * <p>Several commands may run at once (a check in one terminal, watch or a hint in another), so
 * nothing is cached: each read reads the file, and each change rereads it under a lock, changes
 * its one entry and replaces the file whole, so that no command drops another's update and no
 * reader sees half a file. A file that cannot be read is reported in one line and taken as empty.
 */
public final class Progress {

    private final Workbook workbook;
    private final Path file;
    private final PrintStream warnings;
    /** Whether the file was found broken, and said so: once is enough. */
    private boolean reported;

    public Progress(Workbook workbook, PrintStream warnings) {
        this.workbook = workbook;
        this.file = workbook.root().resolve(".workbook/progress.properties");
        this.warnings = warnings;
    }

    public boolean done(Lesson lesson) throws IOException {
        return fingerprint(lesson).equals(read().getProperty(lesson.id() + ".passed"));
    }

    /** Records a check's outcome: a pass, for the files as they are now; a failure forgets a pass. */
    public void checked(Lesson lesson, boolean passed) throws IOException {
        String fingerprint = passed ? fingerprint(lesson) : null;
        change(values -> {
            if (passed) {
                values.setProperty(lesson.id() + ".passed", fingerprint);
            } else {
                values.remove(lesson.id() + ".passed");
            }
        });
    }

    /** How many hints of the lesson were shown so far. */
    public int hintsShown(Lesson lesson) throws IOException {
        return hintsShown(read(), lesson);
    }

    public void hintShown(Lesson lesson) throws IOException {
        change(values -> values.setProperty(lesson.id() + ".hints", Integer.toString(hintsShown(values, lesson) + 1)));
    }

    private int hintsShown(Properties values, Lesson lesson) {
        String key = lesson.id() + ".hints";
        String count = values.getProperty(key, "0");
        try {
            int shown = Integer.parseInt(count);
            if (shown >= 0) {
                return shown;
            }
        } catch (NumberFormatException e) {
            // Reported below, as for a negative count.
        }
        warnings.println("Ignoring " + key + "=" + count + " in " + workbook.root().relativize(file)
                + ": not a count of hints. Counting from 0.");
        return 0;
    }

    private Properties read() throws IOException {
        Properties values = new Properties();
        if (Files.exists(file)) {
            try (Reader in = Files.newBufferedReader(file)) {
                values.load(in);
            } catch (IOException | IllegalArgumentException e) {
                // Bytes that are not text, a broken Unicode escape: whatever it holds, it is not progress.
                if (!reported) {
                    reported = true;
                    warnings.println("Your progress file " + workbook.root().relativize(file) + " cannot be read (" + e
                            + "); going on as if it were new. Delete it to silence this.");
                }
                return new Properties();
            }
        }
        return values;
    }

    /** Changes the file under a lock, from what it holds now, and replaces it in one move. */
    private void change(Consumer<Properties> edit) throws IOException {
        Files.createDirectories(file.getParent());
        // A file lock keeps other processes out; threads of this JVM queue here, as the JVM holds
        // one lock a file and refuses a second.
        synchronized (Progress.class) {
            changeLocked(edit);
        }
    }

    private void changeLocked(Consumer<Properties> edit) throws IOException {
        try (FileChannel lockFile = FileChannel.open(file.resolveSibling("progress.lock"),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock lock = lockFile.lock()) {
            Properties values = read();
            edit.accept(values);
            Path next = file.resolveSibling("progress.properties.new");
            try (Writer out = Files.newBufferedWriter(next)) {
                values.store(out, "Progress through the workbook; delete this file to start afresh");
            }
            Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
    }

    /** A digest of the learner's files of the lesson: any edit changes it. */
    private String fingerprint(Lesson lesson) throws IOException {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (String edit : lesson.edit()) {
                Path path = workbook.lessonDir(lesson).resolve(edit);
                digest.update(edit.getBytes());
                digest.update(Files.exists(path) ? Files.readAllBytes(path) : new byte[0]);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every JDK has SHA-256", e);
        }
    }
}
