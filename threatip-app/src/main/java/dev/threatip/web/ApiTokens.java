package dev.threatip.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The API's bearer tokens: one admin token (read and write) and any number of read-only tokens.
 * Tokens are compared in constant time over their SHA-256 digests, so neither the content nor
 * the length of a stored token leaks through response timing.
 *
 * <p>{@link #loadOrCreateAdmin} keeps the admin token in {@code DATA_DIR/admin.token}: created on
 * first start with 256 random bits (URL-safe Base64, 43 characters) and mode 0600 set atomically
 * at creation, reused afterwards. A token file that group or others may read or write is refused,
 * as ssh refuses such a private key: a token others could read is no secret.
 */
public final class ApiTokens {
    /** The admin token's file name inside the data dir. */
    public static final String ADMIN_TOKEN_FILE = "admin.token";
    /** The shortest token accepted from configuration. */
    public static final int MIN_LENGTH = 16;

    /** What a request's token allows. */
    public enum Access {
        /** No token or an unknown one. */
        NONE,
        /** GET endpoints. */
        READ,
        /** Everything, writes included. */
        ADMIN
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private final String adminToken;
    private final byte[] adminDigest;
    private final List<byte[]> readDigests;

    private ApiTokens(String adminToken, List<String> readOnlyTokens) {
        this.adminToken = validate(adminToken, "the admin token");
        this.adminDigest = digest(adminToken);
        List<byte[]> reads = new ArrayList<>();
        for (String t : readOnlyTokens) {
            validate(t, "a read-only token");
            if (t.equals(adminToken)) {
                throw new IllegalArgumentException("a read-only token equals the admin token; use different tokens");
            }
            reads.add(digest(t));
        }
        this.readDigests = List.copyOf(reads);
    }

    /**
     * Tokens given in full, e.g. by configuration or a test.
     *
     * @throws IllegalArgumentException when a token is shorter than {@value #MIN_LENGTH}
     *                                  characters, has characters outside printable ASCII, or a
     *                                  read-only token equals the admin token
     */
    public static ApiTokens of(String adminToken, List<String> readOnlyTokens) {
        return new ApiTokens(Objects.requireNonNull(adminToken, "adminToken"), List.copyOf(readOnlyTokens));
    }

    /**
     * The tokens of a {@code serve} data dir: the configured admin token when given, else the one
     * in {@code dataDir/admin.token}, which is created on first start.
     *
     * @param dataDir              the data dir, created when missing
     * @param configuredAdminToken the admin token from configuration, or null to use the file
     * @param readOnlyTokens       read-only tokens from configuration
     * @throws IOException when the file cannot be read or written, is empty, or is readable or
     *                     writable by group or others (the message names the file and the fix)
     */
    public static ApiTokens loadOrCreateAdmin(Path dataDir, String configuredAdminToken, List<String> readOnlyTokens)
            throws IOException {
        if (configuredAdminToken != null) {
            return of(configuredAdminToken, readOnlyTokens);
        }
        Files.createDirectories(dataDir);
        Path file = dataDir.resolve(ADMIN_TOKEN_FILE);
        if (!Files.exists(file)) {
            String token = newToken();
            try {
                create(file, token);
                return of(token, readOnlyTokens);
            } catch (FileAlreadyExistsException raced) {
                // another process created it in between: read theirs
            }
        }
        return of(read(file), readOnlyTokens);
    }

    /** A new random token: 256 bits, URL-safe Base64 without padding. */
    public static String newToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The admin token, e.g. for {@code serve} to tell where it is. */
    public String adminToken() {
        return adminToken;
    }

    /** What {@code token} allows; null or unknown tokens allow nothing. Constant time in the token. */
    public Access access(String token) {
        if (token == null) {
            return Access.NONE;
        }
        byte[] d = digest(token);
        boolean admin = MessageDigest.isEqual(d, adminDigest);
        boolean read = false;
        for (byte[] r : readDigests) {
            read |= MessageDigest.isEqual(d, r);
        }
        return admin ? Access.ADMIN : read ? Access.READ : Access.NONE;
    }

    private static void create(Path file, String token) throws IOException {
        boolean posix = file.getFileSystem().supportedFileAttributeViews().contains("posix");
        FileAttribute<?>[] attrs = posix
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(
                        EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE))}
                : new FileAttribute<?>[0];
        Path tmp = Files.createTempFile(file.getParent(), ".admin.token", ".tmp", attrs);
        try {
            Files.writeString(tmp, token + "\n", StandardCharsets.US_ASCII);
            // a link, not a move: fails when the file appeared meanwhile, never replaces it
            Files.createLink(file, tmp);
        } catch (UnsupportedOperationException e) {
            Files.move(tmp, file);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static String read(Path file) throws IOException {
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            Set<PosixFilePermission> open = EnumSet.of(PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE,
                    PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE);
            open.retainAll(perms);
            if (!open.isEmpty()) {
                throw new IOException(file + ": the admin token file is accessible to group or others ("
                        + PosixFilePermissions.toString(perms) + "); run 'chmod 600 " + file + "' or delete it for a new token");
            }
        }
        String token = Files.readString(file, StandardCharsets.US_ASCII).strip();
        if (token.isEmpty()) {
            throw new IOException(file + ": the admin token file is empty; delete it for a new token");
        }
        try {
            return validate(token, "the admin token in " + file);
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    private static String validate(String token, String what) {
        if (token.length() < MIN_LENGTH) {
            throw new IllegalArgumentException(what + " is " + token.length() + " characters; use at least " + MIN_LENGTH);
        }
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c <= ' ' || c > '~') {
                throw new IllegalArgumentException(what + " has a character outside printable ASCII at position " + (i + 1));
            }
        }
        return token;
    }

    private static byte[] digest(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
