package dev.threatip.log;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * One log to read: a file or standard input.
 *
 * @param path the file, or null for standard input
 * @param name how reports name it: the path as given or found, {@code -} for standard input
 */
public record LogInput(Path path, String name) {
    /** The name of standard input on the command line and in reports. */
    public static final String STDIN = "-";

    public LogInput {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("a log input needs a name");
        }
    }

    /** Standard input. */
    public static LogInput stdin() {
        return new LogInput(null, STDIN);
    }

    /** A file, named by its path. */
    public static LogInput of(Path file) {
        return new LogInput(file, file.toString());
    }

    /** Whether this is standard input. */
    public boolean isStdin() {
        return path == null;
    }

    /**
     * Expands command-line arguments into inputs, in argument order: a file stands for itself, a
     * directory for every regular file below it (sorted by path, hidden files and directories
     * skipped), a glob in the last path element ({@code /var/log/nginx/access.log*}) for the
     * matching regular files of its directory (sorted), and {@code -} for standard input. A file
     * named twice is read once.
     *
     * @throws LogInputException naming the first argument that is missing, matches nothing or is
     *                           not readable, before any work is done
     */
    public static List<LogInput> expand(List<String> args) throws LogInputException {
        Set<Object> seen = new LinkedHashSet<>();
        List<LogInput> out = new ArrayList<>();
        for (String arg : args) {
            for (LogInput in : expandOne(arg)) {
                Object key = in.isStdin() ? STDIN : in.path().toAbsolutePath().normalize();
                if (seen.add(key)) {
                    out.add(in);
                }
            }
        }
        return out;
    }

    private static List<LogInput> expandOne(String arg) throws LogInputException {
        if (arg.equals(STDIN)) {
            return List.of(stdin());
        }
        if (arg.isEmpty()) {
            throw new LogInputException("''", "empty file name");
        }
        Path path;
        try {
            path = Path.of(arg);
        } catch (InvalidPathException e) {
            throw new LogInputException(arg, "not a file name");
        }
        if (Files.isDirectory(path)) {
            return directory(arg, path);
        }
        if (Files.exists(path, LinkOption.NOFOLLOW_LINKS) || !isGlob(path.getFileName())) {
            return List.of(file(arg, path));
        }
        return glob(arg, path);
    }

    private static LogInput file(String arg, Path path) throws LogInputException {
        if (!Files.exists(path)) {
            throw new LogInputException(arg, "no such file");
        }
        if (!Files.isRegularFile(path)) {
            throw new LogInputException(arg, "not a regular file");
        }
        if (!Files.isReadable(path)) {
            throw new LogInputException(arg, "permission denied");
        }
        return new LogInput(path, arg);
    }

    private static List<LogInput> directory(String arg, Path dir) throws LogInputException {
        List<LogInput> out = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.filter(p -> !isHiddenBelow(dir, p))
                    .filter(Files::isRegularFile)
                    .sorted()
                    .forEach(p -> out.add(LogInput.of(p)));
        } catch (IOException | RuntimeException e) {
            throw new LogInputException(arg, "cannot list directory (" + e.getMessage() + ")");
        }
        if (out.isEmpty()) {
            throw new LogInputException(arg, "no files in directory");
        }
        return out;
    }

    /** Whether any element of {@code p} below {@code root} starts with a dot. */
    private static boolean isHiddenBelow(Path root, Path p) {
        for (Path element : root.relativize(p)) {
            if (element.toString().startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    private static List<LogInput> glob(String arg, Path pattern) throws LogInputException {
        Path parent = pattern.getParent();
        Path dir = parent == null ? Path.of(".") : parent;
        if (!Files.isDirectory(dir)) {
            throw new LogInputException(arg, "no such directory for pattern");
        }
        PathMatcher matcher;
        try {
            matcher = FileSystems.getDefault().getPathMatcher("glob:" + pattern.getFileName());
        } catch (IllegalArgumentException e) {
            throw new LogInputException(arg, "bad pattern (" + e.getMessage() + ")");
        }
        List<Path> matches = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path p : entries) {
                if (matcher.matches(p.getFileName()) && Files.isRegularFile(p)) {
                    matches.add(parent == null ? p.getFileName() : p);
                }
            }
        } catch (IOException e) {
            throw new LogInputException(arg, "cannot list directory (" + e.getMessage() + ")");
        }
        if (matches.isEmpty()) {
            throw new LogInputException(arg, "no files match");
        }
        matches.sort(null);
        List<LogInput> out = new ArrayList<>();
        for (Path p : matches) {
            out.add(LogInput.of(p));
        }
        return out;
    }

    private static boolean isGlob(Path fileName) {
        if (fileName == null) {
            return false;
        }
        String s = fileName.toString();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '*' || c == '?' || c == '[' || c == '{') {
                return true;
            }
        }
        return false;
    }
}
