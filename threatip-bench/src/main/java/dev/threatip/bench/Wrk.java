package dev.threatip.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Runs Debian's {@code wrk} pinned with {@code taskset}, with fixed threads, connections and
 * duration, {@code --latency}, and a {@link WrkScript}; keeps wrk's whole output next to the
 * script and returns what its {@code done()} printed.
 *
 * @param wrk         the wrk executable
 * @param cpus        the {@code taskset -c} list wrk runs on
 * @param threads     {@code -t}
 * @param connections {@code -c}
 */
record Wrk(String wrk, String cpus, int threads, int connections) {
    private static final ObjectMapper JSON = new ObjectMapper();

    Wrk {
        if (threads < 1 || connections < threads) {
            throw new IllegalArgumentException("wrk needs at least one thread and a connection per thread, not -t"
                    + threads + " -c" + connections);
        }
    }

    /** What one wrk run measured. Latencies in µs; {@code statusErrors} counts answers with status ≥ 400. */
    record Result(long requests, double seconds, long bytes, long connectErrors, long readErrors, long writeErrors,
                  long statusErrors, long timeouts, double p50, double p90, double p99, double p999, double max,
                  double mean, long s2xx, long s3xx, long s403, long s4xx, long s5xx, boolean counted, Path output) {
        double requestsPerSecond() {
            return requests / seconds;
        }

        long socketErrors() {
            return connectErrors + readErrors + writeErrors + timeouts;
        }

        /** Share of answers with status ≥ 400. */
        double statusErrorShare() {
            return requests == 0 ? 0 : (double) statusErrors / requests;
        }
    }

    /** The command line of one run. */
    List<String> command(Path script, int seconds, String url) {
        return List.of("taskset", "-c", cpus, wrk, "-t" + threads, "-c" + connections, "-d" + seconds + "s",
                "--timeout", "5s", "--latency", "-s", script.toString(), url);
    }

    /**
     * Runs wrk for {@code seconds} against {@code url}; its output goes to {@code output}.
     *
     * @throws IOException when wrk fails or prints no summary line
     */
    Result run(Path script, int seconds, String url, Path output) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command(script, seconds, url)).redirectErrorStream(true)
                .redirectOutput(output.toFile()).start();
        if (!p.waitFor(seconds + 120L, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("wrk did not finish within " + (seconds + 120) + " s: see " + output);
        }
        String text = Files.readString(output, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IOException("wrk exited with " + p.exitValue() + ": " + text.strip());
        }
        return parse(text, output);
    }

    /** The {@code WRK_JSON} line of a run's output. */
    static Result parse(String output, Path file) throws IOException {
        for (String line : output.split("\n")) {
            if (line.startsWith("WRK_JSON ")) {
                JsonNode j = JSON.readTree(line.substring("WRK_JSON ".length()));
                return new Result(j.get("requests").asLong(), j.get("duration_us").asLong() / 1e6, j.get("bytes").asLong(),
                        j.get("connect").asLong(), j.get("read").asLong(), j.get("write").asLong(), j.get("status").asLong(),
                        j.get("timeout").asLong(), j.get("p50").asDouble(), j.get("p90").asDouble(), j.get("p99").asDouble(),
                        j.get("p999").asDouble(), j.get("max").asDouble(), j.get("mean").asDouble(), j.get("s2xx").asLong(),
                        j.get("s3xx").asLong(), j.get("s403").asLong(), j.get("s4xx").asLong(), j.get("s5xx").asLong(),
                        j.get("counted").asBoolean(), file);
            }
        }
        throw new IOException("wrk printed no WRK_JSON summary line (" + file + "): "
                + output.strip().lines().limit(5).reduce((a, b) -> a + " | " + b).orElse("no output"));
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "wrk -t%d -c%d --latency on CPU %s", threads, connections, cpus);
    }
}
