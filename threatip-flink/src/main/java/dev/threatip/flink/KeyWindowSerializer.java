package dev.threatip.flink;

import dev.threatip.detect.KeyWindow;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Keyed state of one rule window: the core's own layout ({@link KeyWindow#writeTo}), so a
 * checkpoint holds exactly what the core counts, with no Kryo and no reflection. The layout
 * carries its version; this serializer's snapshot lets Flink check compatibility on restore.
 */
public final class KeyWindowSerializer extends TypeSerializerSingleton<KeyWindow> {
    private static final long serialVersionUID = 1L;
    static final KeyWindowSerializer INSTANCE = new KeyWindowSerializer();

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public KeyWindow createInstance() {
        return null;
    }

    @Override
    public KeyWindow copy(KeyWindow from) {
        try {
            DataOutputSerializer out = new DataOutputSerializer(256);
            from.writeTo(out);
            return KeyWindow.readFrom(new DataInputDeserializer(out.getSharedBuffer(), 0, out.length()));
        } catch (IOException e) {
            throw new IllegalStateException("cannot copy a key window", e);
        }
    }

    @Override
    public KeyWindow copy(KeyWindow from, KeyWindow reuse) {
        return copy(from);
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(KeyWindow record, DataOutputView target) throws IOException {
        record.writeTo(target);
    }

    @Override
    public KeyWindow deserialize(DataInputView source) throws IOException {
        return KeyWindow.readFrom(source);
    }

    @Override
    public KeyWindow deserialize(KeyWindow reuse, DataInputView source) throws IOException {
        return deserialize(source);
    }

    @Override
    public void copy(DataInputView source, DataOutputView target) throws IOException {
        serialize(deserialize(source), target);
    }

    @Override
    public TypeSerializerSnapshot<KeyWindow> snapshotConfiguration() {
        return new Snapshot();
    }

    /** The serializer's snapshot: no configuration, one version. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<KeyWindow> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
