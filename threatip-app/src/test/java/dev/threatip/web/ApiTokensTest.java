package dev.threatip.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApiTokensTest {
    private static final String READER = "reader-token-0123456789abcdef";

    @TempDir
    Path dir;

    @Test
    void loadOrCreateAdmin_firstStart_writesRandomTokenOwnerOnly() throws IOException {
        Path data = dir.resolve("data");
        ApiTokens tokens = ApiTokens.loadOrCreateAdmin(data, null, List.of(READER));
        Path file = data.resolve(ApiTokens.ADMIN_TOKEN_FILE);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        String token = Files.readString(file).strip();
        assertEquals(token, tokens.adminToken());
        assertTrue(token.matches("[A-Za-z0-9_-]{43}"), token);
        assertEquals(ApiTokens.Access.ADMIN, tokens.access(token));
        assertEquals(ApiTokens.Access.READ, tokens.access(READER));
        try (var files = Files.list(data)) {
            assertEquals(List.of(file), files.toList(), "no temporary file left behind");
        }
    }

    @Test
    void loadOrCreateAdmin_restart_reusesTheToken() throws IOException {
        String first = ApiTokens.loadOrCreateAdmin(dir, null, List.of()).adminToken();
        ApiTokens again = ApiTokens.loadOrCreateAdmin(dir, null, List.of());
        assertEquals(first, again.adminToken());
        assertNotEquals(first, ApiTokens.loadOrCreateAdmin(dir.resolve("other"), null, List.of()).adminToken());
    }

    @Test
    void loadOrCreateAdmin_fileReadableByOthers_refusedNamingTheFix() throws IOException {
        ApiTokens.loadOrCreateAdmin(dir, null, List.of());
        Path file = dir.resolve(ApiTokens.ADMIN_TOKEN_FILE);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        IOException e = assertThrows(IOException.class, () -> ApiTokens.loadOrCreateAdmin(dir, null, List.of()));
        assertEquals(file + ": the admin token file is accessible to group or others (rw-r--r--); run 'chmod 600 "
                + file + "' or delete it for a new token", e.getMessage());
    }

    @Test
    void loadOrCreateAdmin_emptyOrShortFile_refused() throws IOException {
        Path file = dir.resolve(ApiTokens.ADMIN_TOKEN_FILE);
        Files.writeString(file, "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        assertTrue(assertThrows(IOException.class, () -> ApiTokens.loadOrCreateAdmin(dir, null, List.of()))
                .getMessage().endsWith("the admin token file is empty; delete it for a new token"));
        Files.writeString(file, "secret\n");
        assertTrue(assertThrows(IOException.class, () -> ApiTokens.loadOrCreateAdmin(dir, null, List.of()))
                .getMessage().contains("is 6 characters; use at least 16"));
    }

    @Test
    void loadOrCreateAdmin_configuredToken_usedWithoutWritingAFile() throws IOException {
        ApiTokens tokens = ApiTokens.loadOrCreateAdmin(dir, "configured-admin-token-42", List.of(READER));
        assertEquals(ApiTokens.Access.ADMIN, tokens.access("configured-admin-token-42"));
        assertTrue(Files.notExists(dir.resolve(ApiTokens.ADMIN_TOKEN_FILE)));
    }

    @Test
    void access_unknownNullOrPrefix_allowsNothing() {
        ApiTokens tokens = ApiTokens.of("configured-admin-token-42", List.of(READER));
        assertEquals(ApiTokens.Access.NONE, tokens.access(null));
        assertEquals(ApiTokens.Access.NONE, tokens.access(""));
        assertEquals(ApiTokens.Access.NONE, tokens.access("configured-admin-token-4"));
        assertEquals(ApiTokens.Access.NONE, tokens.access("configured-admin-token-42 "));
    }

    @Test
    void of_badTokens_refusedWithReason() {
        assertEquals("a read-only token is 5 characters; use at least 16", assertThrows(IllegalArgumentException.class,
                () -> ApiTokens.of("configured-admin-token-42", List.of("short"))).getMessage());
        assertEquals("a read-only token equals the admin token; use different tokens", assertThrows(IllegalArgumentException.class,
                () -> ApiTokens.of(READER, List.of(READER))).getMessage());
        assertEquals("the admin token has a character outside printable ASCII at position 6", assertThrows(
                IllegalArgumentException.class, () -> ApiTokens.of("admin token with space", List.of())).getMessage());
    }
}
