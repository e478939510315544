package workbook.tool;

import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;

/** The maintainers' check of the lessons at even places in the manifest: see {@link ShippedLessonsTest}. */
@DisplayName("Shipped lessons, even places")
class ShippedEvenLessonsTest {

    @TestFactory
    Stream<DynamicNode> eachEvenLesson() {
        return ShippedLessonsTest.eachLesson(lesson -> lesson.number() % 2 == 0);
    }

    @AfterAll
    static void count() {
        ShippedLessonsTest.printCount("even");
    }
}
