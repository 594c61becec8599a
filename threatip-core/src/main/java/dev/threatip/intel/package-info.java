/**
 * Threat intelligence: feed readers, the category and confidence model, the merge of many
 * feeds into one immutable snapshot, and {@link dev.threatip.intel.ReputationIndex}, which
 * answers "is this IP malicious, in which category, how sure, and says who".
 *
 * <p>Feeds enter through {@link dev.threatip.intel.FeedSpec} (what the operator wrote) and
 * {@link dev.threatip.intel.FeedSource} (files, folders and cached, etiquette-keeping
 * downloads), which yields {@link dev.threatip.intel.ResolvedFeed}s ready for the readers.
 */
package dev.threatip.intel;
