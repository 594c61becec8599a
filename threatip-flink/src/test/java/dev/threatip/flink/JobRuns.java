package dev.threatip.flink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.threatip.intel.Category;
import dev.threatip.intel.Confidence;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;

/** What the job tests share: the MiniCluster they run on, and reading the job's JSON back. */
final class JobRuns {
    private static final ObjectMapper JSON = new ObjectMapper();

    private JobRuns() {
    }

    /** One task manager with four slots, restarts quickly (the failure test relies on a restart). */
    static MiniClusterExtension miniCluster() {
        Configuration conf = new Configuration();
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 3);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, java.time.Duration.ofMillis(200));
        return new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
                .setConfiguration(conf).setNumberTaskManagers(1).setNumberSlotsPerTaskManager(4).build());
    }

    /** The signature of one emitted JSON object: verdict kind, then category=confidence in its order. */
    static String signature(String json) {
        JsonNode n = read(json);
        StringBuilder sb = new StringBuilder(n.get("verdict").asText());
        for (JsonNode c : n.get("categories")) {
            Category.fromWire(c.get("category").asText());
            Confidence.fromWire(c.get("confidence").asText());
            sb.append(' ').append(c.get("category").asText()).append('=').append(c.get("confidence").asText());
        }
        return sb.toString();
    }

    static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The records per address in emission order: (key, value) pairs grouped by key. */
    static Map<String, List<String>> byAddress(List<Map.Entry<String, String>> records) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (Map.Entry<String, String> r : records) {
            out.computeIfAbsent(r.getKey(), k -> new ArrayList<>()).add(r.getValue());
        }
        return out;
    }

    /** The last signature per address. */
    static Map<String, String> lastSignatures(Map<String, List<String>> byAddress) {
        Map<String, String> out = new java.util.TreeMap<>();
        byAddress.forEach((ip, values) -> out.put(ip, signature(values.get(values.size() - 1))));
        return out;
    }
}
