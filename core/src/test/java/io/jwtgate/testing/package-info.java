/**
 * Test fixtures for end-to-end tests of jwtgate: a real HTTP/1.x backend and a raw socket client.
 *
 * <p>These classes ship in the core module's test-jar ({@code jwtgate-core:test-jar}), which the other modules'
 * tests depend on. They are test infrastructure, not product code: nothing under {@code src/main} may use them.
 *
 * <ul>
 *   <li>{@link io.jwtgate.testing.TestBackend}: a Netty HTTP/1.x server on {@code 127.0.0.1} and an ephemeral port.
 *       It records every request ({@link io.jwtgate.testing.RecordedRequest}) and answers with the
 *       {@link io.jwtgate.testing.Reply} its {@link io.jwtgate.testing.Behaviour} picks, which may also misbehave
 *       (delay, close mid-body, reset, garbage, never answer). Request bodies are streamed and hashed, never
 *       aggregated, so 100 MiB uploads are cheap.</li>
 *   <li>{@link io.jwtgate.testing.RawHttpClient}: a blocking {@link java.net.Socket} client that writes bytes exactly
 *       as given (malformed, pipelined, split requests) and parses responses into
 *       {@link io.jwtgate.testing.RawResponse}, recording their framing and whether the body was complete.</li>
 *   <li>{@link io.jwtgate.testing.PseudoRandomBytes}: the deterministic byte stream both sides use for large bodies,
 *       so a transfer is checked by comparing SHA-256 digests.</li>
 *   <li>{@link io.jwtgate.testing.Headers}: an immutable ordered header multi-map with case-insensitive lookup.</li>
 * </ul>
 *
 * <p>No {@code ByteBuf} or {@code Channel} appears in this package's public API. Everything is non-null unless a
 * method's javadoc says it may return {@code null}.
 */
package io.jwtgate.testing;
