package dev.threatip.gateway;

import dev.threatip.net.IpAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Stateless challenges and clearance cookies, both HMAC-SHA256-signed with the gateway's secret
 * and bound to the client's address and user agent, so a cookie copied to another machine or
 * browser is worthless and the gateway keeps no per-client state.
 *
 * <ul>
 * <li>A challenge is {@code v1.EXPIRY.LEVEL.DIFFICULTY.RANDOM.MAC}; the page's script finds a
 *     nonce such that SHA-256({@code challenge + nonce}) starts with DIFFICULTY zero bits
 *     (hashcash) and sends both back. Valid for {@link #CHALLENGE_TTL}.</li>
 * <li>A clearance cookie is {@code EXPIRY.LEVEL.MAC}: level 1 after a JS challenge, 2 after a
 *     managed one; a managed clearance also satisfies a JS challenge, not the other way round.</li>
 * </ul>
 */
final class Clearance {
    static final String COOKIE = "threatip_clearance";
    static final int JS = 1;
    static final int MANAGED = 2;
    /** The JS challenge's proof of work: trivial, it only proves a script ran. */
    static final int JS_DIFFICULTY = 8;
    static final Duration CHALLENGE_TTL = Duration.ofMinutes(5);
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private final ThreadLocal<Mac> mac;

    Clearance(byte[] secret) {
        byte[] key = secret.clone();
        this.mac = ThreadLocal.withInitial(() -> {
            try {
                Mac m = Mac.getInstance("HmacSHA256");
                m.init(new SecretKeySpec(key, "HmacSHA256"));
                return m;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
            }
        });
    }

    /** A fresh challenge for this client. */
    String challenge(IpAddress client, String userAgent, int level, int difficulty, Instant now) {
        long expiry = now.plus(CHALLENGE_TTL).getEpochSecond();
        String body = "v1." + expiry + "." + level + "." + difficulty + "." + Long.toHexString(ThreadLocalRandom.current().nextLong());
        return body + "." + sign("c", body, client, userAgent);
    }

    /**
     * The level a solved challenge earns (JS or MANAGED), or 0 when it is forged, expired, for
     * another client, or the nonce does not meet its difficulty.
     */
    int verify(String challenge, String nonce, IpAddress client, String userAgent, Instant now) {
        if (challenge == null || nonce == null || nonce.isEmpty() || nonce.length() > 12 || challenge.length() > 200) {
            return 0;
        }
        for (int i = 0; i < nonce.length(); i++) {
            if (nonce.charAt(i) < '0' || nonce.charAt(i) > '9') {
                return 0;
            }
        }
        int cut = challenge.lastIndexOf('.');
        if (cut < 0) {
            return 0;
        }
        String body = challenge.substring(0, cut);
        if (!constantTimeEquals(challenge.substring(cut + 1), sign("c", body, client, userAgent))) {
            return 0;
        }
        String[] f = body.split("\\.");
        if (f.length != 5 || !f[0].equals("v1")) {
            return 0;
        }
        try {
            long expiry = Long.parseLong(f[1]);
            int level = Integer.parseInt(f[2]);
            int difficulty = Integer.parseInt(f[3]);
            if (now.getEpochSecond() > expiry || (level != JS && level != MANAGED)) {
                return 0;
            }
            return leadingZeroBits(sha256(challenge + nonce)) >= difficulty ? level : 0;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** The clearance cookie's value for this client until {@code expiry}. */
    String cookie(IpAddress client, String userAgent, int level, Instant expiry) {
        String body = expiry.getEpochSecond() + "." + level;
        return body + "." + sign("k", body, client, userAgent);
    }

    /** The level a clearance cookie value grants this client now, 0 when none. */
    int level(String cookie, IpAddress client, String userAgent, Instant now) {
        if (cookie == null || cookie.length() > 120) {
            return 0;
        }
        int cut = cookie.lastIndexOf('.');
        int dot = cookie.indexOf('.');
        if (cut <= 0 || dot == cut) {
            return 0;
        }
        String body = cookie.substring(0, cut);
        if (!constantTimeEquals(cookie.substring(cut + 1), sign("k", body, client, userAgent))) {
            return 0;
        }
        try {
            long expiry = Long.parseLong(cookie.substring(0, dot));
            int level = Integer.parseInt(cookie.substring(dot + 1, cut));
            return now.getEpochSecond() < expiry ? level : 0;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private String sign(String purpose, String body, IpAddress client, String userAgent) {
        Mac m = mac.get();
        m.update(purpose.getBytes(StandardCharsets.US_ASCII));
        m.update((byte) '|');
        m.update(body.getBytes(StandardCharsets.US_ASCII));
        m.update((byte) '|');
        m.update(longBytes(client.hi()));
        m.update(longBytes(client.lo()));
        m.update((byte) '|');
        m.update((userAgent == null ? "" : userAgent).getBytes(StandardCharsets.UTF_8));
        byte[] full = m.doFinal();
        byte[] half = new byte[16]; // 128 bits of HMAC-SHA256 is plenty against forgery, and halves the cookie
        System.arraycopy(full, 0, half, 0, 16);
        return B64.encodeToString(half);
    }

    private static byte[] longBytes(long v) {
        byte[] b = new byte[8];
        for (int i = 7; i >= 0; i--) {
            b[i] = (byte) v;
            v >>>= 8;
        }
        return b;
    }

    static byte[] sha256(String ascii) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(ascii.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    static int leadingZeroBits(byte[] h) {
        int z = 0;
        for (byte b : h) {
            if (b == 0) {
                z += 8;
                continue;
            }
            return z + Integer.numberOfLeadingZeros(b & 0xff) - 24;
        }
        return z;
    }

    private static boolean constantTimeEquals(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.US_ASCII), b.getBytes(StandardCharsets.US_ASCII));
    }
}
