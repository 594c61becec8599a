package dev.threatip.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Command-line arguments to inputs. */
class LogInputTest {
    @TempDir
    Path dir;

    private Path touch(String name) throws IOException {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, "x\n");
        return p;
    }

    private static List<String> names(List<LogInput> in) {
        return in.stream().map(LogInput::name).toList();
    }

    @Test
    void expand_filesDirectoriesGlobsAndStdin_inArgumentOrder() throws IOException {
        Path a = touch("nginx/access.log");
        Path b = touch("nginx/access.log.1");
        Path c = touch("nginx/access.log.2.gz");
        touch("nginx/error.log");
        Path d = touch("app/b.log");
        Path e = touch("app/a/z.log");
        touch("app/.hidden.log");
        touch("app/.git/config");
        List<LogInput> in = LogInput.expand(List.of(dir.resolve("nginx/access.log*").toString(), "-", dir.resolve("app").toString()));
        assertEquals(List.of(a.toString(), b.toString(), c.toString(), "-", e.toString(), d.toString()), names(in));
        assertEquals(true, in.get(3).isStdin());
    }

    @Test
    void expand_sameFileTwice_readOnce() throws IOException {
        Path a = touch("a.log");
        assertEquals(List.of(a.toString()), names(LogInput.expand(List.of(a.toString(), a.toString(), dir.toString()))));
    }

    @Test
    void expand_missingFile_clearError() {
        String missing = dir.resolve("nope.log").toString();
        LogInputException e = assertThrows(LogInputException.class, () -> LogInput.expand(List.of(missing)));
        assertEquals("no such file: " + missing, e.getMessage());
        assertEquals(missing, e.input());
    }

    @Test
    void expand_globMatchingNothing_clearError() {
        String pattern = dir.resolve("*.log").toString();
        LogInputException e = assertThrows(LogInputException.class, () -> LogInput.expand(List.of(pattern)));
        assertEquals("no files match: " + pattern, e.getMessage());
    }

    @Test
    void expand_emptyDirectory_clearError() throws IOException {
        Path empty = Files.createDirectory(dir.resolve("empty"));
        LogInputException e = assertThrows(LogInputException.class, () -> LogInput.expand(List.of(empty.toString())));
        assertEquals("no files in directory: " + empty, e.getMessage());
    }
}
