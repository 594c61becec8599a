package dev.threatip.intel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.DateTimeException;
import java.time.Instant;

/**
 * The {@code .meta.json} sidecar of a downloaded feed: where it came from, the validators for the
 * next conditional GET, and when it was last confirmed current.
 *
 * @param etag         the server's ETag, or null
 * @param lastModified the server's Last-Modified, verbatim (echoed in If-Modified-Since), or null
 * @param bytes        the size of the cached copy as stored
 * @param sha256       its SHA-256 in hex, or null when unknown
 */
record CacheMeta(String url, String etag, String lastModified, Instant fetchedAt, long bytes, String sha256) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The meta of the cached copy {@code data}, or null when there is no copy. A missing,
     * unreadable or foreign sidecar still leaves the copy usable as a fallback, dated by its
     * mtime; validators are dropped whenever the sidecar does not describe the bytes on disk
     * (a crash between the two renames), so the next request is unconditional.
     */
    static CacheMeta read(Path metaFile, Path data, String url) {
        if (!Files.isRegularFile(data)) {
            return null;
        }
        long size;
        Instant mtime;
        try {
            size = Files.size(data);
            mtime = Files.getLastModifiedTime(data).toInstant();
        } catch (IOException e) {
            return null;
        }
        try {
            JsonNode n = JSON.readTree(metaFile.toFile());
            if (n != null && url.equals(n.path("url").asText()) && n.path("bytes").asLong(-1) == size) {
                return new CacheMeta(url, text(n, "etag"), text(n, "last_modified"),
                        Instant.parse(n.path("fetched_at").asText()), size, text(n, "sha256"));
            }
        } catch (IOException | DateTimeException e) {
            // fall through: the copy is still the last one fully received
        }
        return new CacheMeta(url, null, null, mtime, size, null);
    }

    /** This meta, confirmed current at {@code now} by a 304 that may carry fresher validators. */
    CacheMeta confirmed(Instant now, String newEtag, String newLastModified) {
        return new CacheMeta(url, newEtag != null ? newEtag : etag,
                newLastModified != null ? newLastModified : lastModified, now, bytes, sha256);
    }

    /** Writes the sidecar atomically (temp file in the same directory, then rename). */
    void write(Path metaFile) throws IOException {
        ObjectNode n = JSON.createObjectNode();
        n.put("url", url);
        n.put("etag", etag);
        n.put("last_modified", lastModified);
        n.put("fetched_at", fetchedAt.toString());
        n.put("bytes", bytes);
        n.put("sha256", sha256);
        Path tmp = Files.createTempFile(metaFile.getParent(), ".meta-", ".part");
        try {
            JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), n);
            Files.move(tmp, metaFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
