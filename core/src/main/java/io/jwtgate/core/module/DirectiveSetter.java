package io.jwtgate.core.module;

import io.jwtgate.core.conf.ConfDirective;
import io.jwtgate.core.conf.ConfException;

/**
 * Applies one directive to the configuration being built. The core has already checked the name, the context and
 * the argument count; the setter checks the values and reports a mistake by throwing
 * {@link ConfDirective#error(String)}.
 */
@FunctionalInterface
public interface DirectiveSetter {

    void set(ConfContext cx, ConfDirective d) throws ConfException;
}
