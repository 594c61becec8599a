package dev.threatip.flink;

import java.io.IOException;
import java.util.Map;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.core.memory.DataOutputView;

/** Keyed state of one address ({@link IpState}), field by field: no Kryo, a versioned layout. */
public final class IpStateSerializer extends TypeSerializerSingleton<IpState> {
    private static final long serialVersionUID = 1L;
    static final IpStateSerializer INSTANCE = new IpStateSerializer();
    private static final int FORMAT = 1;

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public IpState createInstance() {
        return new IpState();
    }

    @Override
    public IpState copy(IpState from) {
        try {
            DataOutputSerializer out = new DataOutputSerializer(512);
            serialize(from, out);
            return deserialize(new DataInputDeserializer(out.getSharedBuffer(), 0, out.length()));
        } catch (IOException e) {
            throw new IllegalStateException("cannot copy an address state", e);
        }
    }

    @Override
    public IpState copy(IpState from, IpState reuse) {
        return copy(from);
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(IpState s, DataOutputView out) throws IOException {
        out.writeByte(FORMAT);
        out.writeLong(s.hits);
        out.writeLong(s.first);
        out.writeLong(s.last);
        out.writeLong(s.activity);
        out.writeInt(s.paths.size());
        for (Map.Entry<String, Long> e : s.paths.entrySet()) {
            writeText(out, e.getKey());
            out.writeLong(e.getValue());
        }
        out.writeLong(s.otherPaths);
        out.writeInt(s.statuses.size());
        for (Map.Entry<Integer, Long> e : s.statuses.entrySet()) {
            out.writeInt(e.getKey());
            out.writeLong(e.getValue());
        }
        out.writeInt(s.agents.size());
        for (String a : s.agents) {
            writeText(out, a);
        }
        out.writeInt(s.samples);
        for (int i = 0; i < s.samples; i++) {
            out.writeLong(s.sampleTimes[i]);
            out.writeLong(s.sampleRefs[i]);
            writeText(out, s.sampleLines[i]);
        }
        out.writeInt(s.detections.size());
        for (RuleDetection d : s.detections.values()) {
            out.writeLong(d.hi);
            out.writeLong(d.lo);
            out.writeUTF(d.ruleId);
            out.writeUTF(d.category);
            out.writeUTF(d.confidence);
            writeText(out, d.groupKey);
            out.writeLong(d.count);
            out.writeLong(d.windowMillis);
            out.writeLong(d.firstMillis);
            out.writeLong(d.lastMillis);
            out.writeInt(d.tags.length);
            for (String t : d.tags) {
                out.writeUTF(t);
            }
        }
        out.writeBoolean(s.emitted != null);
        if (s.emitted != null) {
            out.writeUTF(s.emitted);
        }
    }

    @Override
    public IpState deserialize(DataInputView in) throws IOException {
        int format = in.readByte();
        if (format != FORMAT) {
            throw new IOException("not an address state of layout " + FORMAT + ": layout " + format);
        }
        IpState s = new IpState();
        s.hits = in.readLong();
        s.first = in.readLong();
        s.last = in.readLong();
        s.activity = in.readLong();
        for (int i = in.readInt(); i > 0; i--) {
            s.paths.put(readText(in), in.readLong());
        }
        s.otherPaths = in.readLong();
        for (int i = in.readInt(); i > 0; i--) {
            s.statuses.put(in.readInt(), in.readLong());
        }
        for (int i = in.readInt(); i > 0; i--) {
            s.agents.add(readText(in));
        }
        int samples = in.readInt();
        if (samples < 0 || samples > IpState.SAMPLES) {
            throw new IOException("address state with " + samples + " samples; at most " + IpState.SAMPLES);
        }
        for (int i = 0; i < samples; i++) {
            s.sampleTimes[i] = in.readLong();
            s.sampleRefs[i] = in.readLong();
            s.sampleLines[i] = readText(in);
        }
        s.samples = samples;
        for (int i = in.readInt(); i > 0; i--) {
            RuleDetection d = new RuleDetection();
            d.hi = in.readLong();
            d.lo = in.readLong();
            d.ruleId = in.readUTF();
            d.category = in.readUTF();
            d.confidence = in.readUTF();
            d.groupKey = readText(in);
            d.count = in.readLong();
            d.windowMillis = in.readLong();
            d.firstMillis = in.readLong();
            d.lastMillis = in.readLong();
            d.tags = new String[in.readInt()];
            for (int t = 0; t < d.tags.length; t++) {
                d.tags[t] = in.readUTF();
            }
            s.detections.put(d.ruleId + "|" + d.groupKey, d);
        }
        s.emitted = in.readBoolean() ? in.readUTF() : null;
        return s;
    }

    /** Text from a log line, which may exceed writeUTF's 64 KiB once decoded. */
    private static void writeText(DataOutputView out, String s) throws IOException {
        byte[] b = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static String readText(DataInputView in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > 4 * LineAnalyzer.MAX_LINE) {
            throw new IOException("address state with a sample of " + n + " bytes");
        }
        byte[] b = new byte[n];
        in.readFully(b);
        return new String(b, java.nio.charset.StandardCharsets.UTF_8);
    }

    @Override
    public IpState deserialize(IpState reuse, DataInputView source) throws IOException {
        return deserialize(source);
    }

    @Override
    public void copy(DataInputView source, DataOutputView target) throws IOException {
        serialize(deserialize(source), target);
    }

    @Override
    public TypeSerializerSnapshot<IpState> snapshotConfiguration() {
        return new Snapshot();
    }

    /** The serializer's snapshot: no configuration, one version. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<IpState> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
