/** JMH benchmarks of the JOSE library and the core's hot paths; see docs/performance.md for how to run them. */
package io.jwtgate.bench;
