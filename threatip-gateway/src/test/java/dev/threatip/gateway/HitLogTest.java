package dev.threatip.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.threatip.net.IpAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HitLogTest {
    @TempDir
    Path dir;

    private static HitLog.Hit hit(int producer, int n) {
        return new HitLog.Hit(1_763_934_601_532L + n, IpAddress.ofIpv4(0xCB007100 | n & 0xff), "GET", "shop.example", "/.env",
                "", 403, "zgrab/0.x", "reputation", "scanner", "high", "block", true, producer + "-" + n, "malicious", false);
    }

    @Test
    void fourEventLoopsRecording_everyHitWrittenOnceAsOneLine() throws Exception {
        Path file = dir.resolve("gate-hits.log");
        int producers = 4;
        int each = 25_000;
        HitLog log = new HitLog(file);
        CountDownLatch go = new CountDownLatch(1);
        Thread[] threads = new Thread[producers];
        for (int p = 0; p < producers; p++) {
            int id = p;
            threads[p] = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < each; i++) {
                    log.record(hit(id, i));
                    if (i % 50 == 0) {
                        LockSupport.parkNanos(1_000_000); // ~50k hits/s each: event loops serve requests between hits
                    }
                }
            });
            threads[p].start();
        }
        go.countDown();
        for (Thread t : threads) {
            t.join();
        }
        log.close();

        assertEquals(0, log.dropped(), "the queue holds 65,536 hits: none dropped at this rate");
        assertEquals((long) producers * each, log.written());
        List<String> lines = Files.readAllLines(file);
        assertEquals(producers * each, lines.size());
        BitSet[] seen = new BitSet[producers];
        for (int p = 0; p < producers; p++) {
            seen[p] = new BitSet(each);
        }
        ObjectMapper json = new ObjectMapper();
        for (String line : lines) {
            JsonNode n = json.readTree(line);
            String[] id = n.get("request_id").asText().split("-");
            int p = Integer.parseInt(id[0]);
            int i = Integer.parseInt(id[1]);
            assertTrue(!seen[p].get(i), "hit written twice: " + line);
            seen[p].set(i);
            assertEquals("203.0.113." + (i & 0xff), n.get("client_ip").asText());
        }
        for (int p = 0; p < producers; p++) {
            assertEquals(each, seen[p].cardinality(), "producer " + p);
        }
    }

    @Test
    void queueFull_dropsAreCountedAndEveryOtherHitWritten() throws Exception {
        Path file = dir.resolve("gate-hits.log");
        HitLog log = new HitLog(file, 8);
        long recorded = 0;
        // the writer lingers between batches: a tight loop fills 8 slots long before it wakes
        while (log.dropped() < 100 && recorded < 50_000_000) {
            log.record(hit(0, (int) recorded++));
        }
        log.close();

        assertTrue(log.dropped() >= 100, "dropped " + log.dropped());
        assertEquals(recorded, log.written() + log.dropped(), "every hit is written or counted as dropped");
        assertEquals(log.written(), Files.readAllLines(file).size());
    }

    @Test
    void recordAfterClose_countedAsDropped() throws Exception {
        HitLog log = new HitLog(dir.resolve("gate-hits.log"));
        log.record(hit(0, 1));
        log.close();
        log.record(hit(0, 2));
        assertEquals(1, log.written());
        assertEquals(1, log.dropped());
        assertEquals(1, Files.readAllLines(dir.resolve("gate-hits.log")).size());
    }

    @Test
    void diskFull_hitsCountedAsDroppedNotLost() throws Exception {
        Path full = Path.of("/dev/full");
        assumeTrue(Files.isWritable(full), "needs /dev/full (Linux) to fail writes");
        HitLog log = new HitLog(full);
        for (int i = 0; i < 500; i++) {
            log.record(hit(0, i));
        }
        log.close();
        assertEquals(0, log.written());
        assertEquals(500, log.dropped());
    }
}
