package dev.threatip.serve;

/**
 * A configuration that cannot start: names the file, the key (dotted path) and what is wrong,
 * e.g. {@code threatip.yaml: server.port: '70000' is out of range; allowed: 0 to 65535}.
 */
public final class ConfigException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final String key;

    public ConfigException(String file, String key, String why) {
        super((file == null ? "" : file + ": ") + key + ": " + why);
        this.key = key;
    }

    /** The offending key as a dotted path, e.g. {@code inputs.syslog.port}. */
    public String key() {
        return key;
    }
}
