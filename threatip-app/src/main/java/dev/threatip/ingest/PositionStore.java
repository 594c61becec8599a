package dev.threatip.ingest;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.TreeMap;

/**
 * The saved read positions, one JSON file in the state directory:
 * {@code {"version":1,"files":{"/var/log/nginx/access.log":{"fileKey":"(dev=803,ino=1234)",
 * "offset":4096,"line":37,"fingerprintLength":1024,"fingerprint":"9f86…"}}}}.
 * Rewritten whole after every acknowledged batch: written to a temporary file, forced to disk,
 * then moved over the old one atomically, so a crash leaves either the old or the new file.
 */
final class PositionStore {

    static final String FILE_NAME = "tail-positions.json";
    private static final int VERSION = 1;

    /** Where one file was left: its identity and the byte offset and line count acknowledged. */
    record Position(String fileKey, long offset, long line, int fingerprintLength, String fingerprint) {}

    private record Document(int version, Map<String, Position> files) {}

    private final ObjectMapper json = new ObjectMapper();
    private final Path file;
    private final Path temp;

    PositionStore(Path stateDir) {
        this.file = stateDir.resolve(FILE_NAME);
        this.temp = stateDir.resolve(FILE_NAME + ".tmp");
    }

    Path file() {
        return file;
    }

    /** The saved positions by source; empty when there is no state file yet. */
    Map<String, Position> load() throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return new TreeMap<>();
        }
        try {
            Document doc = json.readValue(bytes, new TypeReference<Document>() {});
            if (doc.version() != VERSION) {
                throw new IOException(file + ": unsupported tail state version " + doc.version()
                        + "; this build reads version " + VERSION);
            }
            return doc.files() == null ? new TreeMap<>() : new TreeMap<>(doc.files());
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new IOException(file + ": corrupt tail state: " + e.getOriginalMessage(), e);
        }
    }

    void save(Map<String, Position> positions) throws IOException {
        Files.createDirectories(file.getParent());
        byte[] bytes = json.writeValueAsString(new Document(VERSION, new TreeMap<>(positions)))
                .getBytes(StandardCharsets.UTF_8);
        try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE,
                StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buf = ByteBuffer.wrap(bytes);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        }
        try {
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
