package dev.threatip.bench;

import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;
import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadMXBean;
import java.util.List;
import javax.management.MBeanServerConnection;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * Reads another JVM (the gateway) through its local management agent, started by the Attach API
 * as {@code jcmd ManagementAgent.start_local} does: one connection for the whole soak, so a
 * sample costs a few JMX calls instead of a {@code jcmd} process.
 */
final class JvmProbe implements AutoCloseable {
    /**
     * One sample.
     *
     * @param heapAfterGcBytes heap in use right after a full collection ({@code System.gc()} in the target)
     * @param directBytes      NIO direct buffers in use (Netty's pooled arenas when it allocates through the JDK)
     * @param threads          live threads
     */
    record Sample(long heapAfterGcBytes, long directBytes, int threads) {
    }

    private final JMXConnector connector;
    private final MemoryMXBean memory;
    private final ThreadMXBean threads;
    private final List<BufferPoolMXBean> pools;

    private JvmProbe(JMXConnector connector, MBeanServerConnection c) throws IOException {
        this.connector = connector;
        this.memory = ManagementFactory.newPlatformMXBeanProxy(c, ManagementFactory.MEMORY_MXBEAN_NAME, MemoryMXBean.class);
        this.threads = ManagementFactory.newPlatformMXBeanProxy(c, ManagementFactory.THREAD_MXBEAN_NAME, ThreadMXBean.class);
        this.pools = ManagementFactory.getPlatformMXBeans(c, BufferPoolMXBean.class);
    }

    /** Attaches to the JVM with this pid (same user). */
    static JvmProbe attach(long pid) throws IOException {
        VirtualMachine vm;
        try {
            vm = VirtualMachine.attach(Long.toString(pid));
        } catch (AttachNotSupportedException e) {
            throw new IOException("cannot attach to JVM " + pid + ": " + e.getMessage(), e);
        }
        String address;
        try {
            address = vm.startLocalManagementAgent();
        } finally {
            vm.detach();
        }
        JMXConnector connector = JMXConnectorFactory.connect(new JMXServiceURL(address));
        return new JvmProbe(connector, connector.getMBeanServerConnection());
    }

    /** Runs a full collection in the target, then reads its heap, direct buffers and threads. */
    Sample sampleAfterGc() {
        memory.gc();
        long direct = 0;
        for (BufferPoolMXBean b : pools) {
            if (b.getName().equals("direct")) {
                direct = b.getMemoryUsed();
            }
        }
        return new Sample(memory.getHeapMemoryUsage().getUsed(), direct, threads.getThreadCount());
    }

    @Override
    public void close() throws IOException {
        connector.close();
    }
}
