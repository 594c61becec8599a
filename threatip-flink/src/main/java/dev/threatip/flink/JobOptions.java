package dev.threatip.flink;

import dev.threatip.intel.DurationText;
import dev.threatip.log.LogFormats;
import dev.threatip.net.Cidr;
import java.io.Serializable;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The job's flags, validated at once: every problem is an {@link IllegalArgumentException} whose
 * message starts with the flag and says what is allowed. Immutable and serializable (shipped to
 * the task managers inside the operators).
 *
 * @param bootstrapServers      Kafka's {@code host:port,...}; required with a topic
 * @param inputTopic            the topic of raw log lines or JSON events, or null with {@code files}
 * @param files                 files or directories to backfill from (gzip by extension), or empty
 * @param outputTopic           the detections topic, or null
 * @param outDir                a directory for detection files (NDJSON part files), or null
 * @param intel                 the snapshot path, on a path every task manager reads, or null for none
 * @param intelCheckInterval    how often each task manager looks for a newer snapshot at that path
 * @param rules                 rule files over the built-in rules, on such a path too
 * @param format                {@code auto} or a format name, as {@code scan --format}
 * @param logFormat             an nginx {@code log_format} / Apache {@code LogFormat}, or null
 * @param ipField               the client field of JSON events, or null
 * @param trustedProxies        proxies whose forwarding headers are believed
 * @param parallelism           operator parallelism, 0 for the cluster default
 * @param maxParallelism        key groups: the most the job can ever be rescaled to
 * @param checkpointInterval    checkpoint interval: output becomes visible to read_committed consumers at checkpoints
 * @param checkpointDir         where checkpoints are written ({@code file:///…}, {@code s3://…}, {@code hdfs://…}),
 *                              or null for the cluster's {@code state.checkpoints.dir}
 * @param maxOutOfOrderness     how far behind the newest event time a line may arrive before it is late
 * @param idleness              a source split without lines for this long stops holding back watermarks
 * @param ipRetention           an address idle (in event time) this long is forgotten
 * @param groupId               the Kafka consumer group
 * @param transactionalIdPrefix the Kafka sink's transactional id prefix (unique per job on a cluster)
 * @param transactionTimeout    the sink's {@code transaction.timeout.ms}: at most the broker's {@code transaction.max.timeout.ms}
 * @param bounded               read the topic only up to its end offsets as of start (a replay), then finish
 */
public record JobOptions(String bootstrapServers, String inputTopic, List<String> files, String outputTopic,
                         String outDir, String intel, Duration intelCheckInterval, List<String> rules, String format,
                         String logFormat, String ipField, List<String> trustedProxies, int parallelism,
                         int maxParallelism, Duration checkpointInterval, String checkpointDir, Duration maxOutOfOrderness,
                         Duration idleness, Duration ipRetention, String groupId, String transactionalIdPrefix,
                         Duration transactionTimeout, boolean bounded) implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The usage text {@code main} prints on a bad flag. */
    public static final String USAGE = """
            usage: flink run -c dev.threatip.flink.ThreatipJob threatip-flink.jar
                     (--input-topic T --bootstrap-servers H:P | --files PATH...)
                     (--output-topic T | --out-dir DIR)...
                     [--intel intel.tis] [--intel-check-interval 30s] [--rules rules.yaml]...
                     [--format auto|NAME] [--log-format STRING] [--ip-field NAME] [--trusted-proxy CIDR]...
                     [--parallelism N] [--max-parallelism 128] [--checkpoint-interval 30s] [--checkpoint-dir URI]
                     [--max-out-of-orderness 1m] [--idleness 1m] [--ip-retention 24h]
                     [--group-id threatip-flink] [--transactional-id-prefix threatip-flink]
                     [--transaction-timeout 15m] [--bounded]""";

    public JobOptions {
        files = List.copyOf(files);
        rules = List.copyOf(rules);
        trustedProxies = List.copyOf(trustedProxies);
    }

    /**
     * Parses and validates the command line.
     *
     * @throws IllegalArgumentException naming the flag and the problem
     */
    public static JobOptions parse(String... args) {
        String bootstrap = null;
        String inputTopic = null;
        List<String> files = new ArrayList<>();
        String outputTopic = null;
        String outDir = null;
        String intel = null;
        Duration intelCheck = Duration.ofSeconds(30);
        List<String> rules = new ArrayList<>();
        String format = "auto";
        String logFormat = null;
        String ipField = null;
        List<String> proxies = new ArrayList<>();
        int parallelism = 0;
        int maxParallelism = 128;
        Duration checkpoint = Duration.ofSeconds(30);
        String checkpointDir = null;
        Duration outOfOrder = Duration.ofMinutes(1);
        Duration idleness = Duration.ofMinutes(1);
        Duration retention = Duration.ofHours(24);
        String groupId = "threatip-flink";
        String txPrefix = "threatip-flink";
        Duration txTimeout = Duration.ofMinutes(15);
        boolean bounded = false;
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (flag.equals("--bounded")) {
                bounded = true;
                continue;
            }
            if (flag.equals("--files")) {
                int start = i + 1;
                while (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                    files.add(args[++i]);
                }
                if (i + 1 == start) {
                    throw new IllegalArgumentException("--files: give at least one file or directory");
                }
                continue;
            }
            if (!flag.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + flag + "'; flags start with --");
            }
            if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
                throw new IllegalArgumentException(flag + ": needs a value");
            }
            String v = args[++i];
            switch (flag) {
                case "--bootstrap-servers" -> bootstrap = v;
                case "--input-topic" -> inputTopic = v;
                case "--output-topic" -> outputTopic = v;
                case "--out-dir" -> outDir = v;
                case "--intel" -> intel = v;
                case "--intel-check-interval" -> intelCheck = duration(flag, v, Duration.ofMillis(100));
                case "--rules" -> rules.add(v);
                case "--format" -> format = v;
                case "--log-format" -> logFormat = v;
                case "--ip-field" -> ipField = v;
                case "--trusted-proxy" -> proxies.add(v);
                case "--parallelism" -> parallelism = integer(flag, v, 1, 32_768);
                case "--max-parallelism" -> maxParallelism = integer(flag, v, 1, 32_768);
                case "--checkpoint-interval" -> checkpoint = duration(flag, v, Duration.ofMillis(10));
                case "--checkpoint-dir" -> checkpointDir = checkpointUri(flag, v);
                case "--max-out-of-orderness" -> outOfOrder = duration(flag, v, Duration.ZERO);
                case "--idleness" -> idleness = duration(flag, v, Duration.ofMillis(1));
                case "--ip-retention" -> retention = duration(flag, v, Duration.ofMinutes(1));
                case "--group-id" -> groupId = v;
                case "--transactional-id-prefix" -> txPrefix = v;
                case "--transaction-timeout" -> txTimeout = duration(flag, v, Duration.ofSeconds(1));
                default -> throw new IllegalArgumentException("unknown flag '" + flag + "'");
            }
        }
        JobOptions o = new JobOptions(bootstrap, inputTopic, files, outputTopic, outDir, intel, intelCheck, rules,
                format, logFormat, ipField, proxies, parallelism, maxParallelism, checkpoint, checkpointDir, outOfOrder, idleness,
                retention, groupId, txPrefix, txTimeout, bounded);
        o.validate();
        return o;
    }

    /** Checks what the flags say together and what they name: contradictions, missing files, bad formats. */
    void validate() {
        if ((inputTopic == null) == files.isEmpty()) {
            throw new IllegalArgumentException("--input-topic / --files: give exactly one source (a topic or files)");
        }
        if (outputTopic == null && outDir == null) {
            throw new IllegalArgumentException("--output-topic / --out-dir: give at least one sink");
        }
        if ((inputTopic != null || outputTopic != null) && (bootstrapServers == null || bootstrapServers.isBlank())) {
            throw new IllegalArgumentException("--bootstrap-servers: required with --input-topic or --output-topic");
        }
        if (bounded && inputTopic == null) {
            throw new IllegalArgumentException("--bounded: only for --input-topic (files are always bounded)");
        }
        if (parallelism > maxParallelism) {
            throw new IllegalArgumentException("--parallelism: " + parallelism + " is above --max-parallelism " + maxParallelism);
        }
        for (String f : files) {
            if (!Files.exists(Path.of(f))) {
                throw new IllegalArgumentException("--files: no such file or directory: " + f);
            }
        }
        if (intel != null && !Files.isRegularFile(Path.of(intel))) {
            throw new IllegalArgumentException("--intel: no such file: " + intel);
        }
        for (String r : rules) {
            if (!Files.isRegularFile(Path.of(r))) {
                throw new IllegalArgumentException("--rules: no such file: " + r);
            }
        }
        if (logFormat == null && !format.equals("auto")) {
            try {
                LogFormats.named(format, ipField);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--format: " + e.getMessage(), e);
            }
        }
        if (logFormat != null) {
            try {
                LogFormats.compile(logFormat);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--log-format: " + e.getMessage(), e);
            }
        }
        for (String p : trustedProxies) {
            try {
                Cidr.parse(p.strip());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--trusted-proxy: " + e.getMessage(), e);
            }
        }
    }

    /** A checkpoint location: a URI with a scheme Flink's file systems know, or an absolute local path. */
    private static String checkpointUri(String flag, String v) {
        if (v.startsWith("/")) {
            return Path.of(v).toUri().toString();
        }
        URI uri;
        try {
            uri = new URI(v);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(flag + ": not a URI: '" + v + "'");
        }
        if (uri.getScheme() == null || uri.getPath() == null || uri.getPath().isEmpty()) {
            throw new IllegalArgumentException(flag + ": '" + v + "' needs a scheme and a path, e.g. file:///var/lib/threatip/checkpoints or s3://bucket/checkpoints");
        }
        return v;
    }

    private static int integer(String flag, String v, int min, int max) {
        int n;
        try {
            n = Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + ": not a number: '" + v + "'");
        }
        if (n < min || n > max) {
            throw new IllegalArgumentException(flag + ": " + n + " is out of range " + min + "-" + max);
        }
        return n;
    }

    private static Duration duration(String flag, String v, Duration min) {
        Duration d;
        try {
            d = DurationText.parse(v.toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(flag + ": " + e.getMessage());
        }
        if (d.compareTo(min) < 0) {
            throw new IllegalArgumentException(flag + ": " + v + " is below the minimum " + DurationText.format(min));
        }
        return d;
    }
}
