package workbook.tool;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;

import com.fasterxml.jackson.annotation.JacksonInject;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.InjectableValues;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/** {@code lessons/manifest.yaml}: the lessons in course order; the file itself documents each field. */
public record Manifest(List<Lesson> lessons) {

    /** @param number the lesson's place in the course, from 1: not written in the file, but taken from its order */
    public record Lesson(@JacksonInject(NUMBER) int number, String id, String title, String technique, String server,
                         List<String> edit, List<Task> tasks, List<String> hints, Play play, String page) {

        Lesson numbered(int place) {
            return new Lesson(place, id, title, technique, server, edit, tasks, hints, play, page);
        }

        /** "Lesson 1: Reply to the client": as the verdict, the book and the tests name the lesson. */
        public String name() {
            return "Lesson " + number + ": " + title;
        }

        /** What to try on the live page of the lesson's server on {@code port}: the manifest's text says {port}. */
        public String page(int port) {
            return page.replace("{port}", Integer.toString(port)).replace("{port+1}", Integer.toString(port + 1));
        }
    }

    /** The port that serve and play take unless told otherwise, and that the book names. */
    public static final int DEFAULT_PORT = 8080;

    private static final String NUMBER = "number";

    /**
     * The JShell playground of a lesson: the snippets that start it, and things to try.
     *
     * @param setup Java snippets, run after imports of the lesson's package and the tool's PlayClient
     * @param tryThese snippets to type, one per entry
     */
    public record Play(String setup, @JsonProperty("try") List<String> tryThese) {
    }

    /** One TODO of a lesson's stub; the tests of a task carry {@code @Tag(id)}. */
    public record Task(String id, String title) {
    }

    /**
     * Reads the manifest. An unknown or misspelt field is an error, not silently dropped, and so is
     * a missing one: every field of every lesson is required.
     */
    public static Manifest read(Path file) throws IOException {
        List<Lesson> lessons;
        try {
            lessons = new ObjectMapper(new YAMLFactory())
                    .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES, DeserializationFeature.FAIL_ON_NULL_CREATOR_PROPERTIES)
                    .setInjectableValues(new InjectableValues.Std().addValue(NUMBER, 0))
                    .readValue(file.toFile(), Manifest.class).lessons();
        } catch (JsonProcessingException e) {
            throw new Workbook.BrokenFile(file, e);
        }
        return new Manifest(IntStream.range(0, lessons.size()).mapToObj(i -> lessons.get(i).numbered(i + 1)).toList());
    }
}
