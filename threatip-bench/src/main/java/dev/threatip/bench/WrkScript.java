package dev.threatip.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A wrk Lua script of the gate benchmark. Every script ends with a {@code done()} that prints one
 * line {@code WRK_JSON {...}} (requests, duration, bytes, socket errors, statuses ≥ 400, latency
 * percentiles in µs), which {@link Wrk} parses; the rest is optional, each part only when asked,
 * because wrk runs a request without Lua work at all when a script defines no {@code request()}:
 *
 * <ul>
 *   <li>{@code clients}: every request carries {@code X-Forwarded-For} with the next address of
 *       the list (requests pre-formatted in {@code init}, each wrk thread starting elsewhere in the
 *       list), so a proxy trusting 127.0.0.1 looks each one up;</li>
 *   <li>{@code delayMs}: each connection waits that long after an answer before its next request
 *       (a fixed, moderate rate: wrk2 is not in Debian);</li>
 *   <li>{@code countStatuses}: a {@code response()} that counts 2xx, 3xx, 403, other 4xx and 5xx
 *       per thread, summed in {@code done()} (costs wrk a header parse per answer: soak only).</li>
 * </ul>
 *
 * @param path          the request path
 * @param clients       addresses to rotate through in {@code X-Forwarded-For}; empty: no header
 * @param delayMs       pause per connection between requests; 0: none
 * @param countStatuses whether to count answers by status class
 */
record WrkScript(String path, List<String> clients, int delayMs, boolean countStatuses) {
    private static final Pattern SAFE_PATH = Pattern.compile("/[A-Za-z0-9._/-]*");
    private static final Pattern SAFE_ADDRESS = Pattern.compile("[0-9a-fA-F.:]+");

    WrkScript {
        if (!SAFE_PATH.matcher(path).matches()) {
            throw new IllegalArgumentException("path '" + path + "' must be a plain absolute path");
        }
        clients = List.copyOf(clients);
        for (String c : clients) {
            if (!SAFE_ADDRESS.matcher(c).matches()) {
                throw new IllegalArgumentException("'" + c + "' is not an IP address");
            }
        }
        if (delayMs < 0 || delayMs > 60_000) {
            throw new IllegalArgumentException("delay " + delayMs + " ms is out of range 0-60000");
        }
    }

    /** The script's text. */
    String lua() {
        StringBuilder s = new StringBuilder("-- written by threatip-bench GateBenchRunner\n");
        s.append("wrk.path = \"").append(path).append("\"\n");
        s.append("local threads = {}\n");
        s.append("""
                function setup(thread)
                  thread:set("index", #threads)
                  table.insert(threads, thread)
                end
                """);
        if (!clients.isEmpty()) {
            s.append("local clients = {");
            for (int i = 0; i < clients.size(); i++) {
                s.append(i % 8 == 0 ? "\n  " : " ").append('"').append(clients.get(i)).append("\",");
            }
            s.append("\n}\n");
            s.append("""
                    local requests = {}
                    local cursor = 1
                    function init(args)
                      for i, c in ipairs(clients) do
                        requests[i] = wrk.format("GET", wrk.path, { ["X-Forwarded-For"] = c })
                      end
                      -- each thread starts at another point of the list
                      cursor = (index * 7919) % #requests + 1
                    end
                    function request()
                      local r = requests[cursor]
                      cursor = cursor % #requests + 1
                      return r
                    end
                    """);
        }
        if (delayMs > 0) {
            s.append("function delay()\n  return ").append(delayMs).append("\nend\n");
        }
        if (countStatuses) {
            s.append("""
                    s2xx, s3xx, s403, s4xx, s5xx = 0, 0, 0, 0, 0
                    function response(status, headers, body)
                      if status < 300 then s2xx = s2xx + 1
                      elseif status < 400 then s3xx = s3xx + 1
                      elseif status == 403 then s403 = s403 + 1
                      elseif status < 500 then s4xx = s4xx + 1
                      else s5xx = s5xx + 1 end
                    end
                    """);
        }
        s.append("""
                function done(summary, latency, requests)
                  local c = { s2xx = 0, s3xx = 0, s403 = 0, s4xx = 0, s5xx = 0 }
                  for _, t in ipairs(threads) do
                    for k, _ in pairs(c) do
                      c[k] = c[k] + (tonumber(t:get(k)) or 0)
                    end
                  end
                  local e = summary.errors
                  io.write(string.format('WRK_JSON {"requests":%d,"duration_us":%d,"bytes":%d,' ..
                    '"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d,' ..
                    '"p50":%d,"p90":%d,"p99":%d,"p999":%d,"max":%d,"mean":%.1f,' ..
                    '"s2xx":%d,"s3xx":%d,"s403":%d,"s4xx":%d,"s5xx":%d,"counted":%s}\\n',
                    summary.requests, summary.duration, summary.bytes,
                    e.connect, e.read, e.write, e.status, e.timeout,
                    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency:percentile(99.9),
                    latency.max, latency.mean,
                    c.s2xx, c.s3xx, c.s403, c.s4xx, c.s5xx, COUNTED))
                end
                """.replace("COUNTED", countStatuses ? "\"true\"" : "\"false\""));
        return s.toString();
    }

    /** Writes the script to {@code file} and returns it. */
    Path write(Path file) throws IOException {
        Files.writeString(file, lua(), StandardCharsets.US_ASCII);
        return file;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s%s%s%s", path, clients.isEmpty() ? "" : ", X-Forwarded-For of " + clients.size() + " clients",
                delayMs > 0 ? ", " + delayMs + " ms between requests per connection" : "", countStatuses ? ", statuses counted" : "");
    }
}
