package dev.threatip.block;

import dev.threatip.net.Cidr;

/**
 * One export target: what it can hold and how it writes it. Implementations are stateless;
 * {@link Exporter} runs the selection ({@link Selection}) and hands the chosen entries over.
 */
interface ExportFormat {

    /** What the target is and can hold. */
    ExportTarget target();

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
