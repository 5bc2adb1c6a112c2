/**
 * Variables as nginx has them: defined by modules, referenced by index, evaluated lazily per request, and compiled
 * values that interpolate them.
 */
package io.jwtgate.core.var;
