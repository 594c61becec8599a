package dev.threatip.policy;

/**
 * A decision made elsewhere about the client's address and in force now: {@code serve}'s
 * auto-block policies or an operator, pulled over the bouncer protocol (CrowdSec's {@code ban}
 * and {@code captcha}).
 */
public enum LiveDecision {
    /** No decision covers the address. */
    NONE,
    /** Ban: the policy blocks (a shared address is challenged instead). */
    BAN,
    /** Captcha: the policy answers with the managed challenge. */
    CAPTCHA
}
