package dev.threatip.flink;

import dev.threatip.detect.RuleHit;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.serialization.SimpleStringEncoder;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.api.java.tuple.Tuple4;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.file.sink.FileSink;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.CheckpointingMode;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.filesystem.OutputFileConfig;
import org.apache.flink.streaming.api.functions.sink.filesystem.bucketassigners.BasePathBucketAssigner;
import org.apache.flink.streaming.api.functions.sink.filesystem.rollingpolicies.OnCheckpointRollingPolicy;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/**
 * The scale-out job: access-log lines from a Kafka topic (or files, for a backfill) in, one
 * DESIGN.md §4 verdict per flagged address out, updated as it strengthens, to a Kafka topic
 * (exactly once, keyed by address) and optionally to NDJSON files.
 *
 * <pre>
 *  source (Kafka / files) ─► LineAnalyzer: parse, resolve client, intel lookup, rule filters
 *     ├─ RuleHit ─► keyBy(rule, group key) ─► KeyWindowFunction (core KeyWindow) ─► RuleDetection ─┐
 *     └─ ProfileEvent ─────────────────────────────────────────────────────────────────────────────┴─► keyBy(address)
 *                                        ─► IpVerdictFunction (core VerdictMerger) ─► Kafka / files
 * </pre>
 *
 * Detection is the core's: the same filters, keys, windows and merge as {@code threatip scan},
 * so the last record per address is what {@code scan} says on the same lines. Submit with
 * {@code flink run -c dev.threatip.flink.ThreatipJob threatip-flink.jar --help} for the flags
 * ({@link JobOptions}); {@link #define} wires the same graph into any environment.
 */
public final class ThreatipJob {
    private ThreatipJob() {
    }

    /** Parses the flags (exit 2 with the problem and the usage on a bad one), then runs the job. */
    public static void main(String[] args) throws Exception {
        if (args.length == 0 || args[0].equals("--help")) {
            System.out.println(JobOptions.USAGE);
            return;
        }
        JobOptions options;
        try {
            options = JobOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("threatip-flink: " + e.getMessage());
            System.err.println(JobOptions.USAGE);
            System.exit(2);
            return;
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        define(env, options);
        env.execute("threatip");
    }

    /** Configures {@code env} (checkpointing, parallelism, no Kryo) and adds the whole job to it. */
    public static void define(StreamExecutionEnvironment env, JobOptions o) {
        configure(env, o);
        sink(detect(source(env, o), o), o);
    }

    /**
     * Exactly-once checkpoints every {@code --checkpoint-interval}, the parallelism and max
     * parallelism, and generic types off: every record and state type has a Flink serializer
     * (POJOs, or the core's own layout), so a type that would fall back to Kryo fails at once.
     */
    public static void configure(StreamExecutionEnvironment env, JobOptions o) {
        env.enableCheckpointing(o.checkpointInterval().toMillis(), CheckpointingMode.EXACTLY_ONCE);
        if (o.checkpointDir() != null) {
            // without it (and without the cluster's state.checkpoints.dir) checkpoints go to the
            // job manager's memory, which refuses state above 5 MB: the rule windows of a busy
            // site pass that within minutes, and every checkpoint fails from then on
            env.getCheckpointConfig().setCheckpointStorage(o.checkpointDir());
        }
        if (o.parallelism() > 0) {
            env.setParallelism(o.parallelism());
        }
        env.setMaxParallelism(o.maxParallelism());
        env.getConfig().disableGenericTypes();
    }

    /** The raw lines: the Kafka topic from the committed offsets (else the earliest), or the files. */
    public static DataStream<RawLine> source(StreamExecutionEnvironment env, JobOptions o) {
        if (o.inputTopic() == null) {
            Path[] paths = o.files().stream().map(Path::new).toArray(Path[]::new);
            FileSource<RawLine> files = FileSource.forRecordStreamFormat(new RawLineFormat(), paths).build();
            return env.fromSource(files, watermarks(o), "files").uid("files");
        }
        KafkaSourceBuilder<RawLine> b = KafkaSource.<RawLine>builder()
                .setBootstrapServers(o.bootstrapServers())
                .setTopics(o.inputTopic())
                .setGroupId(o.groupId())
                .setStartingOffsets(OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
                .setDeserializer(KafkaRecordDeserializationSchema.valueOnly(new RawLineSchema()));
        if (o.bounded()) {
            b.setBounded(OffsetsInitializer.latest());
        }
        return env.fromSource(b.build(), watermarks(o), "kafka " + o.inputTopic()).uid("kafka-source");
    }

    /** Event time from each line, watermarks per partition or split, bounded out-of-orderness, idleness. */
    static WatermarkStrategy<RawLine> watermarks(JobOptions o) {
        return WatermarkStrategy.<RawLine>forBoundedOutOfOrderness(o.maxOutOfOrderness())
                .withTimestampAssigner(ctx -> new LineTime(o)).withIdleness(o.idleness());
    }

    /** Lines in, verdict updates out: the detection graph of the class comment. */
    public static DataStream<VerdictUpdate> detect(DataStream<RawLine> lines, JobOptions o) {
        SingleOutputStreamOperator<ProfileEvent> analyzed = lines.process(new LineAnalyzer(o))
                .returns(TypeInformation.of(ProfileEvent.class)).name("parse+match").uid("analyzer");
        // records keep the time the source assigned: hits and requests carry their line's event time
        DataStream<RuleHit> hits = analyzed.getSideOutput(LineAnalyzer.HITS);
        DataStream<ProfileEvent> profiles = analyzed;
        DataStream<RuleDetection> detections = hits
                .keyBy(new HitKey(), Types.TUPLE(Types.INT, Types.LONG, Types.LONG, Types.LONG))
                .process(new KeyWindowFunction(o)).returns(TypeInformation.of(RuleDetection.class))
                .name("rule windows").uid("windows");
        return profiles.keyBy(new ProfileKey(), Types.TUPLE(Types.LONG, Types.LONG))
                .connect(detections.keyBy(new DetectionKey(), Types.TUPLE(Types.LONG, Types.LONG)))
                .process(new IpVerdictFunction(o)).returns(TypeInformation.of(VerdictUpdate.class))
                .name("verdict per address").uid("verdicts");
    }

    /** The Kafka sink (exactly once, keyed by address) and the file sink, as the flags ask. */
    public static void sink(DataStream<VerdictUpdate> verdicts, JobOptions o) {
        if (o.outputTopic() != null) {
            Properties p = new Properties();
            p.setProperty("transaction.timeout.ms", String.valueOf(o.transactionTimeout().toMillis()));
            KafkaSink<VerdictUpdate> kafka = KafkaSink.<VerdictUpdate>builder()
                    .setBootstrapServers(o.bootstrapServers())
                    .setKafkaProducerConfig(p)
                    .setRecordSerializer(KafkaRecordSerializationSchema.<VerdictUpdate>builder()
                            .setTopic(o.outputTopic())
                            .setKeySerializationSchema(u -> u.ip.getBytes(StandardCharsets.UTF_8))
                            .setValueSerializationSchema(u -> u.json.getBytes(StandardCharsets.UTF_8))
                            .build())
                    .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                    .setTransactionalIdPrefix(o.transactionalIdPrefix())
                    .build();
            verdicts.sinkTo(kafka).name("kafka " + o.outputTopic()).uid("kafka-sink");
        }
        if (o.outDir() != null) {
            FileSink<String> files = FileSink.forRowFormat(new Path(o.outDir()), new SimpleStringEncoder<String>("UTF-8"))
                    .withBucketAssigner(new BasePathBucketAssigner<>())
                    .withRollingPolicy(OnCheckpointRollingPolicy.build())
                    .withOutputFileConfig(OutputFileConfig.builder().withPartPrefix("detections").withPartSuffix(".ndjson").build())
                    .build();
            verdicts.map(u -> u.json).returns(Types.STRING).name("json").uid("json")
                    .sinkTo(files).name("files " + o.outDir()).uid("file-sink");
        }
    }

    /** Hits by rule and group key. */
    static final class HitKey implements KeySelector<RuleHit, Tuple4<Integer, Long, Long, Long>> {
        private static final long serialVersionUID = 1L;

        @Override
        public Tuple4<Integer, Long, Long, Long> getKey(RuleHit h) {
            return Tuple4.of(h.rule(), h.k0(), h.k1(), h.k2());
        }
    }

    /** Requests by client address. */
    static final class ProfileKey implements KeySelector<ProfileEvent, Tuple2<Long, Long>> {
        private static final long serialVersionUID = 1L;

        @Override
        public Tuple2<Long, Long> getKey(ProfileEvent e) {
            return Tuple2.of(e.hi, e.lo);
        }
    }

    /** Detections by the address they flag. */
    static final class DetectionKey implements KeySelector<RuleDetection, Tuple2<Long, Long>> {
        private static final long serialVersionUID = 1L;

        @Override
        public Tuple2<Long, Long> getKey(RuleDetection d) {
            return Tuple2.of(d.hi, d.lo);
        }
    }
}
