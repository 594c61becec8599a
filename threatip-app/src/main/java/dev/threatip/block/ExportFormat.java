package dev.threatip.block;

import dev.threatip.net.Cidr;

/**
 * One export target: what it can hold and how it writes it. Implementations are stateless;
 * {@link Exporter} runs the selection ({@link Selection}) and hands the chosen entries over.
 */
interface ExportFormat {

    /** How a target holds decisions. */
    enum Layout {
        /** One entry per address space, as firewalls and lists enforce: duplicate and covered scopes merge. */
        ENFORCEMENT,
        /** One record per decision, as data exchange wants it (CSV, JSON, STIX). */
        RECORDS
    }

    /** The name {@code --format} takes. */
    String name();

    /** What it is, one line, for help texts. */
    String description();

    /** The target's own size limit. */
    Capacity capacity();

    /** Whether entries merge by address space or stay one per decision. */
    Layout layout();

    /** Whether the format tells a ban from a challenge; when not, challenges are left out. */
    boolean carriesType();

    /** Why challenges are left out when {@link #carriesType()} is false, e.g. "a firewall set cannot challenge". */
    default String typeRefusal() {
        return name() + " cannot challenge, only block";
    }

    /** The HTTP content type. */
    String mediaType();

    /** The file name extension, with the dot. */
    String extension();

    /** The longest timeout the target takes, in seconds; longer ones are capped. */
    default long maxTimeoutSeconds() {
        return Long.MAX_VALUE;
    }

    /** The scope this target holds for a decision's scope: the same, widened, or refused with a reason. */
    default Fit fit(Cidr scope) {
        return Fit.as(scope);
    }

    /** Writes the file. */
    void write(Selection selection, StringBuilder out);

    /**
     * How a scope fits a target.
     *
     * @param scope   the scope to write, null when refused
     * @param widened whether it is wider than the decision's
     * @param refusal why it cannot be held, null when it can
     */
    record Fit(Cidr scope, boolean widened, String refusal) {
        static Fit as(Cidr scope) {
            return new Fit(scope, false, null);
        }

        static Fit widenedTo(Cidr scope) {
            return new Fit(scope, true, null);
        }

        static Fit refused(String why) {
            return new Fit(null, false, why);
        }
    }
}
