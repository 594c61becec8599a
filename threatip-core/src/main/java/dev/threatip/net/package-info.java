/**
 * Addresses and networks: strict parsing from bytes and text, 128-bit values with IPv4 held
 * as IPv4-mapped IPv6, and the special-purpose ranges that must never receive a verdict.
 */
package dev.threatip.net;
