package dev.threatip.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The nginx configurations of the gate benchmark ({@link GateBenchRunner}), each in a directory of
 * its own (config, pid, error log, temp paths), run in the foreground ({@code daemon off}) so the
 * runner owns the process:
 *
 * <ul>
 *   <li>the <b>origin</b>: {@code GET /} answers a fixed small body with {@code return 200}, every
 *       other path is a static file ({@code /10k.html}, {@value #LARGE_BODY_BYTES} bytes) — fast and
 *       fixed, so it is not the bottleneck;</li>
 *   <li>the reference <b>proxy</b>: {@code proxy_pass} to the origin over an upstream keep-alive pool
 *       of the gateway's size, {@code X-Forwarded-For} appended, the client taken from
 *       {@code X-Forwarded-For} of a trusted peer ({@code real_ip}, as {@code gate --trusted-proxy}
 *       does), and a {@code geo $blocked} deny map answering 403 — the nginx way to do what
 *       {@code gate} does with its snapshot.</li>
 * </ul>
 * Both use the same client keep-alive settings (no request limit per connection, 65 s idle), no
 * access log (the gateway logs only hits), and the gateway's accept backlog.
 */
final class NginxConf {
    /** The small body of {@code GET /}. */
    static final String SMALL_BODY = "hello from the origin: a small fixed answer for the gate benchmark\n";
    /** Bytes of the large body, {@code GET /10k.html}. */
    static final int LARGE_BODY_BYTES = 10 * 1024;
    static final String LARGE_PATH = "/10k.html";
    /** The gateway's {@code maxIdleUpstream} default: idle origin connections kept per worker. */
    static final int UPSTREAM_KEEPALIVE = 64;

    private NginxConf() {
    }

    /**
     * Writes the origin's directory (config, the {@value #LARGE_BODY_BYTES}-byte page) and returns
     * its {@code nginx.conf}.
     */
    static Path writeOrigin(Path dir, int port, int workers) throws IOException {
        Path www = Files.createDirectories(dir.resolve("www"));
        Files.createDirectories(dir.resolve("tmp"));
        Files.writeString(www.resolve(LARGE_PATH.substring(1)), largeBody(), StandardCharsets.US_ASCII);
        String server = String.format(Locale.ROOT, """
                  server {
                    listen 127.0.0.1:%d backlog=1024;
                    root %s;
                    open_file_cache max=16 inactive=1h;
                    location = / {
                      default_type text/plain;
                      return 200 "%s";
                    }
                    location / {
                      default_type text/html;
                    }
                  }
                """, port, www, SMALL_BODY.replace("\n", "\\n"));
        return write(dir, workers, server);
    }

    /**
     * Writes the reference proxy's directory: its {@code nginx.conf} and {@code deny.conf}, the
     * {@code geo} entries ({@code NETWORK 1;}) of {@code denied}.
     *
     * @param trustedPeer the peer whose {@code X-Forwarded-For} is believed, e.g. {@code 127.0.0.1}
     */
    static Path writeProxy(Path dir, int port, int originPort, int workers, Collection<String> denied, String trustedPeer)
            throws IOException {
        Files.createDirectories(dir.resolve("tmp"));
        Path deny = dir.resolve("deny.conf");
        List<String> lines = new ArrayList<>(denied.size());
        for (String n : denied) {
            lines.add(n + " 1;");
        }
        Files.write(deny, lines, StandardCharsets.US_ASCII);
        String server = String.format(Locale.ROOT, """
                  set_real_ip_from %s;
                  real_ip_header X-Forwarded-For;
                  real_ip_recursive on;
                  geo $blocked {
                    default 0;
                    include %s;
                  }
                  upstream origin {
                    server 127.0.0.1:%d;
                    keepalive %d;
                    keepalive_requests 1000000;
                    keepalive_timeout 60s;
                  }
                  server {
                    listen 127.0.0.1:%d backlog=1024;
                    location / {
                      if ($blocked) {
                        return 403;
                      }
                      proxy_pass http://origin;
                      proxy_http_version 1.1;
                      proxy_set_header Connection "";
                      proxy_set_header Host $host;
                      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
                      proxy_set_header X-Forwarded-Proto $scheme;
                    }
                  }
                """, trustedPeer, deny, originPort, UPSTREAM_KEEPALIVE, port);
        return write(dir, workers, server);
    }

    /**
     * Runs {@code nginx -t} on a configuration written here.
     *
     * @throws IOException with nginx's own message when the configuration is refused
     */
    static void check(String nginx, Path conf) throws IOException, InterruptedException {
        Path dir = conf.getParent();
        Process p = new ProcessBuilder(nginx, "-t", "-q", "-p", dir.toString(), "-c", conf.toString(),
                "-e", dir.resolve("error.log").toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(nginx + " -t " + conf + " did not finish in 60 s");
        }
        if (p.exitValue() != 0) {
            throw new IOException(nginx + " -t refused " + conf + ": " + out);
        }
    }

    /** The path nginx is started with: {@code nginx -p DIR -c CONF -e DIR/error.log}. */
    static List<String> command(String nginx, Path conf) {
        Path dir = conf.getParent();
        return List.of(nginx, "-p", dir.toString(), "-c", conf.toString(), "-e", dir.resolve("error.log").toString());
    }

    private static Path write(Path dir, int workers, String httpBody) throws IOException {
        Path tmp = dir.resolve("tmp");
        String conf = String.format(Locale.ROOT, """
                # written by threatip-bench GateBenchRunner
                # workers run as whoever runs the benchmark (root's nginx would switch to nobody, who
                # cannot read a private work directory); nginx ignores this line for other users
                user %s;
                worker_processes %d;
                daemon off;
                master_process on;
                pid %s;
                error_log %s warn;
                events {
                  worker_connections 8192;
                }
                http {
                  access_log off;
                  keepalive_timeout 65s;
                  keepalive_requests 1000000;
                  sendfile on;
                  tcp_nodelay on;
                  client_body_temp_path %s;
                  proxy_temp_path %s;
                  fastcgi_temp_path %s;
                  uwsgi_temp_path %s;
                  scgi_temp_path %s;
                %s}
                """, System.getProperty("user.name"), workers, dir.resolve("nginx.pid"), dir.resolve("error.log"), tmp, tmp, tmp, tmp, tmp, httpBody);
        Path file = dir.resolve("nginx.conf");
        Files.writeString(file, conf, StandardCharsets.US_ASCII);
        return file;
    }

    /** A fixed page of exactly {@value #LARGE_BODY_BYTES} bytes: HTML-ish lines, the same every run. */
    static String largeBody() {
        StringBuilder s = new StringBuilder(LARGE_BODY_BYTES);
        s.append("<!doctype html><title>gate benchmark</title>\n");
        for (int i = 0; s.length() < LARGE_BODY_BYTES; i++) {
            s.append(String.format(Locale.ROOT, "<p>line %05d of the fixed 10 KiB page served by the origin</p>\n", i));
        }
        s.setLength(LARGE_BODY_BYTES - 1);
        return s.append('\n').toString();
    }
}
