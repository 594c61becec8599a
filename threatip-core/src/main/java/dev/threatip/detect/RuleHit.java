package dev.threatip.detect;

/**
 * One event that passed one rule's filter, as a value: what a {@link RuleMatcher} reports so that
 * the counting can happen elsewhere, e.g. in a {@link KeyWindow} kept per group key in the Flink
 * job's keyed state. Route hits by {@link #rule} and the key ({@link #k0}, {@link #k1},
 * {@link #k2}); every hit of one rule and key must reach the same window.
 *
 * @param rule       the rule's index in the detector's rule order
 * @param k0         first long of the group key (address high half, or the host hash)
 * @param k1         second long (address low half, or the path hash)
 * @param k2         third long (host hash of an ip+host key; 1 endpoint, 2 site)
 * @param label      the key as shown (address and host, endpoint, site); null for an ip key
 * @param timeMillis event time (epoch ms), or -1 when the line has none
 * @param lineRef    the line's reference: ties of equal times order samples by it
 * @param va         first long of the distinct value (0 when the rule counts requests)
 * @param vb         second long of the distinct value
 */
public record RuleHit(int rule, long k0, long k1, long k2, String label, long timeMillis, long lineRef, long va,
                      long vb) {
}
