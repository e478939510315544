package workbook.tool;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

import com.sun.source.util.JavacTask;

/**
 * Compiles a lesson in two steps: its main sources, then its tests against their classes. The
 * tests' classes are kept (in {@code .workbook/compiled-tests}) and used again while nothing their
 * compilation read has changed: their sources, the libraries, and the API of the main classes,
 * that is every member but the private ones, with its type, and the value of each constant (javac
 * copies constants into the code that uses them). Most saves change a method's body only; they
 * compile the learner's files alone, about 150 ms sooner in watch mode, 250 ms in a check.
 */
final class LessonCompiler {

    /** What a compilation made: the folders of the main classes and of the tests', or its errors. */
    record Classes(List<String> errors, Path main, Path tests) {
        boolean compiled() {
            return errors.isEmpty();
        }
    }

    /** Where compiled tests are kept, in the workbook's folder. */
    private static final Path KEPT = Path.of(".workbook/compiled-tests");
    /** How many compilations to keep: a few for each lesson, and some mistakes' (dev check). */
    private static final int KEEP = 50;
    /** The name of a compilation under way; one this old was abandoned. */
    private static final String COMPILING = "compiling-";
    private static final Duration ABANDONED = Duration.ofHours(1);
    private static final List<String> OPTIONS = List.of("--release", "17", "-encoding", "UTF-8", "-proc:none", "-implicit:none");

    /**
     * javac's file manager, one in the JVM: it opens the class path's jars once, not for every
     * compilation (a warm compilation takes half the time). Each compilation reads the sources
     * anew: javac empties the manager's cache of their contents as it ends.
     */
    private static StandardJavaFileManager files;

    private final Workbook workbook;

    LessonCompiler(Workbook workbook) {
        this.workbook = workbook;
    }

    /**
     * Compiles {@code main} into {@code into}, then the tests, or copies the kept ones there.
     *
     * @return the compile errors as "file:line: message", relative to the workbook root
     */
    Classes compile(List<Path> main, List<Path> tests, Path into) throws IOException {
        Path mainClasses = Files.createDirectories(into.resolve("main"));
        Path testClasses = into.resolve("tests");
        List<String> errors = new ArrayList<>();
        String api = compile(main, List.of(), mainClasses, errors);
        if (!errors.isEmpty()) {
            return new Classes(errors, mainClasses, null);
        }
        Path keptTests = workbook.root().resolve(KEPT);
        Path kept = keptTests.resolve(digest(api, tests));
        try {
            // A copy, which no other check's clean-up can take away while this check runs.
            Workbook.copyTree(kept, testClasses);
            Files.setLastModifiedTime(kept, FileTime.from(Instant.now()));
            return new Classes(errors, mainClasses, testClasses);
        } catch (IOException e) {
            // None kept (or deleted as it was copied): compile them.
        }
        Workbook.deleteTree(testClasses);
        Path compiling;
        try {
            compiling = Files.createTempDirectory(Files.createDirectories(keptTests), COMPILING);
        } catch (IOException e) {
            // Nowhere to keep them (a file where the folder should be, say): for this check alone.
            compile(tests, List.of(mainClasses), Files.createDirectories(testClasses), errors);
            return new Classes(errors, mainClasses, errors.isEmpty() ? testClasses : null);
        }
        compile(tests, List.of(mainClasses), compiling, errors);
        if (!errors.isEmpty()) {
            Workbook.deleteTree(compiling);
            return new Classes(errors, mainClasses, null);
        }
        Workbook.copyTree(compiling, testClasses);
        keep(compiling, kept);
        return new Classes(errors, mainClasses, testClasses);
    }

    /** Compiles {@code main} alone into {@code into}: the classes to run a lesson's server. */
    List<String> compileMain(List<Path> main, Path into) {
        List<String> errors = new ArrayList<>();
        compile(main, List.of(), into, errors);
        return errors;
    }

    /**
     * One javac run, one at a time in this JVM (the file manager is shared).
     *
     * @return the API of the classes compiled (see {@link #api})
     */
    private String compile(List<Path> sources, List<Path> classPath, Path into, List<String> errors) {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            throw new IllegalStateException("This Java has no compiler (javax.tools): run the workbook with a JDK, not a JRE.");
        }
        synchronized (LessonCompiler.class) {
            if (files == null) {
                files = javac.getStandardFileManager(null, null, StandardCharsets.UTF_8);
            }
            return compile(javac, sources, classPath, into, errors);
        }
    }

    private String compile(JavaCompiler javac, List<Path> sources, List<Path> classPath, Path into, List<String> errors) {
        String path = Stream.concat(classPath.stream().map(Path::toString), Stream.of(System.getProperty("java.class.path")))
                .collect(Collectors.joining(File.pathSeparator));
        List<String> options = new ArrayList<>(List.of("-d", into.toString(), "-classpath", path));
        options.addAll(OPTIONS);
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        JavacTask task = (JavacTask) javac.getTask(null, files, diagnostics, options, null, files.getJavaFileObjectsFromPaths(sources));
        StringBuilder api = new StringBuilder();
        try {
            for (Element type : task.analyze()) {
                api(type, api);
            }
            if (diagnostics.getDiagnostics().stream().noneMatch(LessonCompiler::isError)) {
                task.generate();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        diagnostics.getDiagnostics().stream().filter(LessonCompiler::isError).map(this::describe).forEach(errors::add);
        return api.toString();
    }

    /**
     * What code compiled against {@code element} depends on: its kind, modifiers, name and type,
     * each constant's value, and the same of every member that is not private.
     */
    private static void api(Element element, StringBuilder api) {
        api.append(element.getKind()).append(' ').append(element.getModifiers()).append(' ')
                .append(element).append(' ').append(element.asType());
        if (element instanceof TypeElement type) {
            api.append(" extends ").append(type.getSuperclass()).append(" implements ").append(type.getInterfaces())
                    .append(" permits ").append(type.getPermittedSubclasses()).append(' ').append(type.getTypeParameters());
        } else if (element instanceof ExecutableElement method) {
            api.append(" throws ").append(method.getThrownTypes()).append(' ').append(method.getTypeParameters());
        } else if (element instanceof VariableElement field && field.getConstantValue() != null) {
            api.append(" = ").append(field.getConstantValue().getClass().getName()).append(' ').append(field.getConstantValue());
        }
        api.append('\n');
        for (Element member : element.getEnclosedElements()) {
            if (!member.getModifiers().contains(Modifier.PRIVATE) && member.getKind() != ElementKind.STATIC_INIT) {
                api(member, api);
            }
        }
    }

    /**
     * The name of a kept compilation of {@code tests}: a digest of the API they compile against,
     * of their sources, and of the class path's files as they are now.
     */
    private static String digest(String api, List<Path> tests) throws IOException {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(api.getBytes(StandardCharsets.UTF_8));
            for (Path test : tests) {
                digest.update(test.getFileName().toString().getBytes(StandardCharsets.UTF_8));
                digest.update(Files.readAllBytes(test));
            }
            for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
                Path file = Path.of(entry);
                String stamp = entry + (Files.exists(file) ? Files.size(file) + "@" + Files.getLastModifiedTime(file) : "");
                digest.update(stamp.getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(digest.digest(), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Moves {@code compiled} to {@code kept} in one step, so that no check ever sees half of it,
     * unless another check has put the same there first; then deletes all but the compilations
     * used last, and what a check that ended half way left.
     */
    private static void keep(Path compiled, Path kept) throws IOException {
        try {
            Files.move(compiled, kept, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
            // Another check compiled the same tests at the same time: its classes are as good.
            Workbook.deleteTree(compiled);
        }
        Instant abandoned = Instant.now().minus(ABANDONED);
        List<Path> all;
        try (Stream<Path> list = Files.list(kept.getParent())) {
            all = list.sorted(Comparator.comparing(LessonCompiler::lastUsed).reversed()).toList();
        }
        int keptSoFar = 0;
        for (Path dir : all) {
            boolean compiling = dir.getFileName().toString().startsWith(COMPILING);
            if (compiling ? lastUsed(dir).isBefore(abandoned) : ++keptSoFar > KEEP) {
                Workbook.deleteTree(dir);
            }
        }
    }

    private static Instant lastUsed(Path dir) {
        try {
            return Files.getLastModifiedTime(dir).toInstant();
        } catch (IOException e) {
            return Instant.MIN;
        }
    }

    private static boolean isError(Diagnostic<?> diagnostic) {
        return diagnostic.getKind() == Diagnostic.Kind.ERROR;
    }

    private String describe(Diagnostic<? extends JavaFileObject> diagnostic) {
        String message = diagnostic.getMessage(null);
        if (diagnostic.getSource() == null) {
            return message;
        }
        Path file = Path.of(diagnostic.getSource().toUri());
        return workbook.root().relativize(file) + ":" + diagnostic.getLineNumber() + ": " + message;
    }
}
