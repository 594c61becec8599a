/**
 * Threat intelligence: feed readers, the category and confidence model, the merge of many
 * feeds into one immutable snapshot, and {@link dev.threatip.intel.ReputationIndex}, which
 * answers "is this IP malicious, in which category, how sure, and says who".
 */
package dev.threatip.intel;
