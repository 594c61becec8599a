/**
 * The client-reputation policy enforced at the edge: a category × confidence → action matrix
 * with per-host and per-path overrides, exceptions that skip all or some checks, custom (bot)
 * rules with per-client token-bucket rates and weighted actions, and the shared-address rule.
 * Entry point: {@link dev.threatip.policy.Policy} ({@code load}, {@code defaults}, {@code decide});
 * the file format is described in this package's {@code README.md}.
 */
package dev.threatip.policy;
