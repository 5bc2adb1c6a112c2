/**
 * {@code metrics} (the Prometheus and OpenMetrics text expositions) and {@code stub_status} (nginx's connection
 * counts), and the request counts every configuration keeps (docs/operations.md#metrics).
 */
package io.jwtgate.metrics;
