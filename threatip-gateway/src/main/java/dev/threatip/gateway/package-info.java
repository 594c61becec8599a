/**
 * The edge: a Netty reverse proxy that enforces the client-reputation policy
 * ({@link dev.threatip.policy.Policy}) inline. Entry points: {@link dev.threatip.gateway.Gateway}
 * (start, swap the policy, stats), {@link dev.threatip.gateway.GatewaySettings} (listen address,
 * origin, trusted proxies, TLS, timeouts and limits) and {@link dev.threatip.gateway.DecisionStream}
 * (live decisions pulled from {@code serve} over the bouncer protocol). The module's
 * {@code README.md} describes the actions, headers, hit log, knobs and guarantees.
 */
package dev.threatip.gateway;
