/**
 * Decisions (ban or challenge a scope until it expires), the guard rails that keep them off the
 * operator's own and special-purpose space, auto-block policies, and their exports to
 * enforcement points.
 */
package dev.threatip.block;
