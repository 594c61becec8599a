package dev.threatip.flink;

/**
 * One emitted verdict: the address (the Kafka record key) and its DESIGN.md §4 JSON object (the
 * value, one line of {@code scan --output ndjson}). A Flink POJO.
 */
public final class VerdictUpdate {
    public String ip;
    public String json;

    public VerdictUpdate() {
    }

    public VerdictUpdate(String ip, String json) {
        this.ip = ip;
        this.json = json;
    }
}
