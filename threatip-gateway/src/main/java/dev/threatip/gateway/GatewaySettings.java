package dev.threatip.gateway;

import dev.threatip.net.Cidr;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * How a {@link Gateway} listens, where it forwards, and its limits. Validated at once: a value out
 * of range is refused with the allowed range.
 *
 * @param bindHost        the address to listen on (default {@code 127.0.0.1})
 * @param port            the port, 0 for any free one
 * @param upstream        the origin, {@code http://host:port} (a path is not allowed: requests keep theirs)
 * @param trustedProxies  peers whose {@code X-Forwarded-For} is believed (default none)
 * @param hitLog          where every hit is appended as one JSON line, or null for none
 * @param secret          the HMAC key of challenges and clearance cookies (at least 32 bytes), or null
 *                        for a random one per start (clearances then end with the process)
 * @param tlsCertificate  a PEM certificate chain: TLS and HTTP/2 towards clients, or null for plain HTTP
 * @param tlsPrivateKey   the PEM private key (PKCS#8) of the certificate, or null
 * @param connectTimeout  connecting to the origin (default 5s)
 * @param headerTimeout   receiving a request's headers from its first byte (default 10s): slowloris
 * @param idleTimeout     an idle keep-alive connection, and a request body or response that stalls (default 60s)
 * @param upstreamTimeout the origin's response headers after the request was sent (default 60s)
 * @param maxInitialLine  bytes of the request line (default 8192; longer: 414)
 * @param maxHeaderBytes  bytes of all header lines (default 16384; more: 431)
 * @param maxHeaders      number of header fields (default 100; more: 431)
 * @param maxIdleUpstream idle keep-alive connections to the origin kept per event loop (default 64)
 * @param threads         event-loop threads (default: one per core)
 */
public record GatewaySettings(String bindHost, int port, URI upstream, List<Cidr> trustedProxies, Path hitLog,
                              byte[] secret, Path tlsCertificate, Path tlsPrivateKey, Duration connectTimeout,
                              Duration headerTimeout, Duration idleTimeout, Duration upstreamTimeout,
                              int maxInitialLine, int maxHeaderBytes, int maxHeaders, int maxIdleUpstream, int threads) {

    public GatewaySettings {
        Objects.requireNonNull(bindHost, "bindHost");
        Objects.requireNonNull(upstream, "upstream");
        trustedProxies = List.copyOf(trustedProxies);
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is out of range 0-65535");
        }
        String scheme = upstream.getScheme() == null ? "" : upstream.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") || upstream.getHost() == null) {
            throw new IllegalArgumentException("upstream '" + upstream + "' must be http://HOST[:PORT]");
        }
        if (upstream.getRawPath() != null && !upstream.getRawPath().isEmpty() && !upstream.getRawPath().equals("/")) {
            throw new IllegalArgumentException("upstream '" + upstream + "' must not have a path: requests keep their own");
        }
        if (secret != null && secret.length < 32) {
            throw new IllegalArgumentException("the challenge secret must have at least 32 bytes, not " + secret.length);
        }
        secret = secret == null ? null : secret.clone();
        if ((tlsCertificate == null) != (tlsPrivateKey == null)) {
            throw new IllegalArgumentException("TLS needs both a certificate and its private key");
        }
        positive("connectTimeout", connectTimeout);
        positive("headerTimeout", headerTimeout);
        positive("idleTimeout", idleTimeout);
        positive("upstreamTimeout", upstreamTimeout);
        range("maxInitialLine", maxInitialLine, 256, 1 << 20);
        range("maxHeaderBytes", maxHeaderBytes, 1024, 1 << 20);
        range("maxHeaders", maxHeaders, 8, 10_000);
        range("maxIdleUpstream", maxIdleUpstream, 0, 100_000);
        range("threads", threads, 1, 1024);
    }

    /** Listening on 127.0.0.1:{@code port}, forwarding to {@code upstream}, with the default limits. */
    public static GatewaySettings of(int port, URI upstream) {
        return new GatewaySettings("127.0.0.1", port, upstream, List.of(), null, null, null, null,
                Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(60), Duration.ofSeconds(60),
                8192, 16384, 100, 64, Math.max(1, Runtime.getRuntime().availableProcessors()));
    }

    public GatewaySettings withBindHost(String host) {
        return new GatewaySettings(host, port, upstream, trustedProxies, hitLog, secret, tlsCertificate, tlsPrivateKey,
                connectTimeout, headerTimeout, idleTimeout, upstreamTimeout, maxInitialLine, maxHeaderBytes, maxHeaders,
                maxIdleUpstream, threads);
    }

    public GatewaySettings withTrustedProxies(List<Cidr> proxies) {
        return new GatewaySettings(bindHost, port, upstream, proxies, hitLog, secret, tlsCertificate, tlsPrivateKey,
                connectTimeout, headerTimeout, idleTimeout, upstreamTimeout, maxInitialLine, maxHeaderBytes, maxHeaders,
                maxIdleUpstream, threads);
    }

    public GatewaySettings withHitLog(Path file) {
        return new GatewaySettings(bindHost, port, upstream, trustedProxies, file, secret, tlsCertificate, tlsPrivateKey,
                connectTimeout, headerTimeout, idleTimeout, upstreamTimeout, maxInitialLine, maxHeaderBytes, maxHeaders,
                maxIdleUpstream, threads);
    }

    public GatewaySettings withSecret(byte[] key) {
        return new GatewaySettings(bindHost, port, upstream, trustedProxies, hitLog, key, tlsCertificate, tlsPrivateKey,
                connectTimeout, headerTimeout, idleTimeout, upstreamTimeout, maxInitialLine, maxHeaderBytes, maxHeaders,
                maxIdleUpstream, threads);
    }

    public GatewaySettings withTls(Path certificate, Path privateKey) {
        return new GatewaySettings(bindHost, port, upstream, trustedProxies, hitLog, secret, certificate, privateKey,
                connectTimeout, headerTimeout, idleTimeout, upstreamTimeout, maxInitialLine, maxHeaderBytes, maxHeaders,
                maxIdleUpstream, threads);
    }

    public GatewaySettings withTimeouts(Duration connect, Duration header, Duration idle, Duration upstreamResponse) {
        return new GatewaySettings(bindHost, port, upstream, trustedProxies, hitLog, secret, tlsCertificate, tlsPrivateKey,
                connect, header, idle, upstreamResponse, maxInitialLine, maxHeaderBytes, maxHeaders, maxIdleUpstream, threads);
    }

    public GatewaySettings withLimits(int initialLine, int headerBytes, int headers) {
        return new GatewaySettings(bindHost, port, upstream, trustedProxies, hitLog, secret, tlsCertificate, tlsPrivateKey,
                connectTimeout, headerTimeout, idleTimeout, upstreamTimeout, initialLine, headerBytes, headers,
                maxIdleUpstream, threads);
    }

    public GatewaySettings withThreads(int n) {
        return new GatewaySettings(bindHost, port, upstream, trustedProxies, hitLog, secret, tlsCertificate, tlsPrivateKey,
                connectTimeout, headerTimeout, idleTimeout, upstreamTimeout, maxInitialLine, maxHeaderBytes, maxHeaders,
                maxIdleUpstream, n);
    }

    /** The origin's port (80 when the URL names none). */
    public int upstreamPort() {
        return upstream.getPort() > 0 ? upstream.getPort() : 80;
    }

    /** Whether clients connect over TLS. */
    public boolean tls() {
        return tlsCertificate != null;
    }

    private static void positive(String name, Duration d) {
        if (d == null || d.isNegative() || d.isZero() || d.compareTo(Duration.ofHours(24)) > 0) {
            throw new IllegalArgumentException(name + " " + d + " is out of range (0, 24h]");
        }
    }

    private static void range(String name, int v, int min, int max) {
        if (v < min || v > max) {
            throw new IllegalArgumentException(name + " " + v + " is out of range " + min + "-" + max);
        }
    }
}
