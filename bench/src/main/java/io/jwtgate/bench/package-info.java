/**
 * JMH benchmarks of the JOSE library and the core's hot paths, and {@link io.jwtgate.bench.FloorProxy}, the least a
 * proxy on Netty does, which {@code bench/e2e.sh -m floor} measures beside nginx and jwtgate; see
 * docs/performance.md for how to run them.
 */
package io.jwtgate.bench;
