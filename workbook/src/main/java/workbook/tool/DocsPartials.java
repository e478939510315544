package workbook.tool;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import workbook.tool.Manifest.Lesson;

/**
 * Writes the parts of the docs that the manifest owns (the list of lessons, each lesson's tasks and
 * hints) as AsciiDoc files for the pages to include, so the docs cannot drift from the manifest.
 * The docs build runs it: {@code DocsPartials <workbook root> <output folder>}.
 */
public final class DocsPartials {

    private DocsPartials() {
    }

    public static void main(String[] args) throws IOException {
        Workbook workbook = Workbook.at(Path.of(args[0]));
        Path out = Files.createDirectories(Path.of(args[1]));
        Files.writeString(out.resolve("lessons.adoc"), workbook.manifest().lessons().stream()
                .map(lesson -> ". xref:" + lesson.id() + ".adoc[Lesson " + lesson.number() + ": " + lesson.title()
                        + "] (" + lesson.technique() + ")")
                .collect(Collectors.joining("\n", "", "\n")));
        for (Lesson lesson : workbook.manifest().lessons()) {
            Files.writeString(out.resolve(lesson.id() + "-tasks.adoc"), IntStream.range(0, lesson.tasks().size())
                    .mapToObj(i -> ". " + lesson.tasks().get(i).title() + " (TODO " + (i + 1) + ")")
                    .collect(Collectors.joining("\n", "", "\n")));
            Files.writeString(out.resolve(lesson.id() + "-hints.adoc"), lesson.hints().stream()
                    .map(hint -> ". " + hint)
                    .collect(Collectors.joining("\n", "", "\n")));
            Files.writeString(out.resolve(lesson.id() + "-files.adoc"), lesson.edit().stream()
                    .map(file -> "* `lessons/" + lesson.id() + "/" + file + "`")
                    .collect(Collectors.joining("\n", "", "\n")));
        }
    }
}
