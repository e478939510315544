package workbook.tool;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Properties;

import workbook.tool.Manifest.Lesson;

/**
 * What the workbook remembers between calls, in {@code .workbook/progress.properties} (ignored by
 * git): which lessons passed, for which content of the learner's files, and how many hints each
 * has shown. A lesson is done while its files are as they were when it passed.
 */
public final class Progress {

    private final Workbook workbook;
    private final Path file;
    private final Properties values = new Properties();

    public Progress(Workbook workbook) throws IOException {
        this.workbook = workbook;
        this.file = workbook.root().resolve(".workbook/progress.properties");
        if (Files.exists(file)) {
            try (Reader in = Files.newBufferedReader(file)) {
                values.load(in);
            }
        }
    }

    public boolean done(Lesson lesson) throws IOException {
        return fingerprint(lesson).equals(values.getProperty(lesson.id() + ".passed"));
    }

    /** Records a check's outcome: a pass, for the files as they are now; a failure forgets a pass. */
    public void checked(Lesson lesson, boolean passed) throws IOException {
        if (passed) {
            values.setProperty(lesson.id() + ".passed", fingerprint(lesson));
        } else {
            values.remove(lesson.id() + ".passed");
        }
        save();
    }

    /** How many hints of the lesson were shown so far. */
    public int hintsShown(Lesson lesson) {
        return Integer.parseInt(values.getProperty(lesson.id() + ".hints", "0"));
    }

    public void hintShown(Lesson lesson) throws IOException {
        values.setProperty(lesson.id() + ".hints", Integer.toString(hintsShown(lesson) + 1));
        save();
    }

    private void save() throws IOException {
        Files.createDirectories(file.getParent());
        try (Writer out = Files.newBufferedWriter(file)) {
            values.store(out, "Progress through the workbook; delete this file to start afresh");
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
