package dev.threatip.serve;

import dev.threatip.ingest.FileTailer;
import dev.threatip.ingest.IngestPipeline;
import dev.threatip.ingest.InputStats;
import dev.threatip.ingest.SyslogReceiver;
import dev.threatip.intel.LiveReputation;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What {@code GET /metrics} shows of {@code serve}: per input events, lines, bad lines, events/s
 * and ingest lag; per tailed file bytes behind; the intel snapshot's age and refresh state; the
 * rules' tracked keys. All are callbacks read at scrape time from the parts' own counters, so
 * nothing on the ingest path updates a metric.
 */
final class ServeMetrics {
    ServeMetrics(PrometheusRegistry registry, IngestPipeline pipeline, Supplier<Map<String, FileTailer.SourceStats>> tailed,
                 Supplier<SyslogReceiver.Stats> syslog, LiveReputation reputation) {
        CounterWithCallback.builder().name("threatip_ingest_lines").help("Lines received per input.")
                .labelNames("input").callback(cb -> pipeline.stats().values().forEach(s -> cb.call(s.lines(), s.source())))
                .register(registry);
        CounterWithCallback.builder().name("threatip_ingest_events").help("Lines stored as access events per input.")
                .labelNames("input").callback(cb -> pipeline.stats().values().forEach(s -> cb.call(s.events(), s.source())))
                .register(registry);
        CounterWithCallback.builder().name("threatip_ingest_parse_failures")
                .help("Lines counted and skipped per input: not the input's format, or no valid client address.")
                .labelNames("input").callback(cb -> pipeline.stats().values().forEach(s -> cb.call(s.badLines(), s.source())))
                .register(registry);
        CounterWithCallback.builder().name("threatip_ingest_gateway_hits")
                .help("Events per input that were threatip gate hit-log lines, stored as gateway hits too.")
                .labelNames("input").callback(cb -> pipeline.stats().values().forEach(s -> cb.call(s.gatewayHits(), s.source())))
                .register(registry);
        CounterWithCallback.builder().name("threatip_ingest_gateway_refused")
                .help("Gate hit-log lines per input whose decision was not the policy vocabulary: stored as events only.")
                .labelNames("input").callback(cb -> pipeline.stats().values().forEach(s -> cb.call(s.gatewayRefused(), s.source())))
                .register(registry);
        GaugeWithCallback.builder().name("threatip_ingest_events_per_second").help("Events stored per second per input.")
                .labelNames("input")
                .callback(cb -> pipeline.stats().values().forEach(s -> cb.call(s.eventsPerSecond(), s.source())))
                .register(registry);
        GaugeWithCallback.builder().name("threatip_ingest_lag_seconds")
                .help("How far the newest stored event's time is behind now, per input.").labelNames("input")
                .callback(cb -> {
                    for (InputStats s : pipeline.stats().values()) {
                        if (s.lag() != null) {
                            cb.call(s.lag().toMillis() / 1000.0, s.source());
                        }
                    }
                }).register(registry);
        GaugeWithCallback.builder().name("threatip_tail_bytes_behind")
                .help("Bytes of a tailed file not yet read.").labelNames("file")
                .callback(cb -> tailed.get().values().forEach(s -> cb.call(s.bytesBehind(), s.source())))
                .register(registry);
        CounterWithCallback.builder().name("threatip_syslog_messages").help("Syslog messages received per transport.")
                .labelNames("transport").callback(cb -> syslogTransports(syslog, t -> cb.call(t.messages(), t.transport())))
                .register(registry);
        CounterWithCallback.builder().name("threatip_syslog_malformed")
                .help("Syslog frames that carried no message (bad header, over-long, binary), per transport.")
                .labelNames("transport").callback(cb -> syslogTransports(syslog, t -> cb.call(t.malformed(), t.transport())))
                .register(registry);
        CounterWithCallback.builder().name("threatip_syslog_dropped")
                .help("Syslog datagrams dropped because the queue was full (UDP cannot push back).")
                .labelNames("transport").callback(cb -> syslogTransports(syslog, t -> cb.call(t.dropped(), t.transport())))
                .register(registry);
        GaugeWithCallback.builder().name("threatip_detect_tracked_keys").help("Group keys the behaviour rules track.")
                .callback(cb -> cb.call(pipeline.trackedKeys())).register(registry);
        GaugeWithCallback.builder().name("threatip_intel_snapshot_age_seconds")
                .help("Seconds since the intel snapshot in use was built.")
                .callback(cb -> {
                    Instant built = reputation.current().compiledAt();
                    if (built != null) {
                        cb.call((Instant.now().toEpochMilli() - built.toEpochMilli()) / 1000.0);
                    }
                }).register(registry);
        GaugeWithCallback.builder().name("threatip_intel_last_refresh_ok")
                .help("1 when the latest feed refresh swapped a snapshot in, 0 when it failed and the last good one stays.")
                .callback(cb -> cb.call(reputation.lastRefresh().succeeded() ? 1 : 0)).register(registry);
    }

    private static void syslogTransports(Supplier<SyslogReceiver.Stats> syslog,
                                         java.util.function.Consumer<SyslogReceiver.TransportStats> each) {
        SyslogReceiver.Stats s = syslog.get();
        if (s == null) {
            return;
        }
        for (SyslogReceiver.TransportStats t : List.of(s.udp(), s.tcp())) {
            if (t != null && t.enabled()) {
                each.accept(t);
            }
        }
    }
}
