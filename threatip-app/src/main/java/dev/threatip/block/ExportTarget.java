package dev.threatip.block;

/**
 * What an export target is and what it can hold: its name, file, size limit and whether it can
 * tell a ban from a challenge.
 *
 * @param name              the name {@code --format} takes
 * @param description       what it is, one line, for help texts
 * @param mediaType         the HTTP content type
 * @param extension         the file name extension, with the dot
 * @param capacity          the target's own size limit
 * @param layout            whether entries merge by address space or stay one per decision
 * @param typeRefusal       why challenges are left out, e.g. "a firewall set cannot challenge";
 *                          null when the target tells a ban from a challenge
 * @param maxTimeoutSeconds the longest timeout the target takes; longer ones are capped
 */
record ExportTarget(String name, String description, String mediaType, String extension, Capacity capacity,
                    Layout layout, String typeRefusal, long maxTimeoutSeconds) {

    /** How a target holds decisions. */
    enum Layout {
        /** One entry per address space, as firewalls and lists enforce: duplicate and covered scopes merge. */
        ENFORCEMENT,
        /** One record per decision, as data exchange wants it (CSV, JSON, STIX). */
        RECORDS
    }

    /** A target that enforces: firewalls, proxies, cloud lists. {@code typeRefusal} null when it can challenge. */
    static ExportTarget enforcing(String name, String description, String mediaType, String extension,
                                  Capacity capacity, String typeRefusal) {
        return new ExportTarget(name, description, mediaType, extension, capacity, Layout.ENFORCEMENT, typeRefusal,
                Long.MAX_VALUE);
    }

    /** A data-exchange target: one record per decision, ban or challenge. */
    static ExportTarget records(String name, String description, String mediaType, String extension,
                                Capacity capacity) {
        return new ExportTarget(name, description, mediaType, extension, capacity, Layout.RECORDS, null,
                Long.MAX_VALUE);
    }

    /** This target with a cap on timeouts. */
    ExportTarget withMaxTimeout(long seconds) {
        return new ExportTarget(name, description, mediaType, extension, capacity, layout, typeRefusal, seconds);
    }

    /** Whether the target tells a ban from a challenge; when not, challenges are left out. */
    boolean carriesType() {
        return typeRefusal == null;
    }
}
