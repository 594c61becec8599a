package dev.threatip.flink;

import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A Flink MiniCluster and a real in-process Kafka broker (KRaft), one of each per test class. */
abstract class KafkaJobTestBase {
    @RegisterExtension
    static final MiniClusterExtension FLINK = JobRuns.miniCluster();

    static InProcessKafka kafka;

    @BeforeAll
    static void startKafka() throws Exception {
        kafka = InProcessKafka.start();
    }

    @AfterAll
    static void stopKafka() throws Exception {
        kafka.close();
    }
}
