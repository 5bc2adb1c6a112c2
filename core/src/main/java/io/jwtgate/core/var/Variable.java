package io.jwtgate.core.var;

/**
 * A defined variable.
 *
 * @param name its name without {@code $}
 * @param index its position in every request's value cache
 * @param getter computes the value
 * @param data passed to the getter
 * @param flags {@link Variables#NOCACHE}, {@link Variables#CHANGEABLE}
 */
public record Variable(String name, int index, VariableGetter getter, Object data, int flags) {

    public boolean cacheable() {
        return (flags & Variables.NOCACHE) == 0;
    }
}
