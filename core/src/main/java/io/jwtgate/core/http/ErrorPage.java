package io.jwtgate.core.http;

import java.util.function.Function;

/**
 * One status of an {@code error_page} directive (docs/configuration.md#error_page): where a request that ends with
 * {@code status} goes instead of getting the default page.
 *
 * @param status the status it replaces, 300-599
 * @param overwrite the status of the answer: -1 keeps {@code status} ({@code error_page 404 /x}), 0 takes the error
 *     page's own ({@code =}), anything else is that status ({@code =200}); for a URL, the redirect status
 * @param uri the target when it has no variables: a path (with {@link #args} split off), {@code @name} or a URL
 * @param args the arguments of a constant path target, or {@code null}
 * @param value the target when it has variables, evaluated per request (arguments are split off then); {@code null}
 *     for a constant
 */
public record ErrorPage(int status, int overwrite, String uri, String args, Function<HttpExchange, String> value) {

    /** {@code overwrite} when no {@code =} is given. */
    public static final int KEEP_STATUS = -1;
}
