package io.jwtgate.core.var;

/**
 * A defined variable.
 *
 * @param name its name without {@code $}
 * @param index its position in every request's value cache
 * @param getter computes the value
 * @param setter changes the request when {@code set} assigns the variable ({@code $args}), or {@code null} when
 *     {@code set} just stores the value
 * @param data passed to the getter and the setter
 * @param flags {@link Variables#NOCACHE}, {@link Variables#CHANGEABLE}
 */
public record Variable(String name, int index, VariableGetter getter, VariableSetter setter, Object data, int flags) {

    /** Whether {@code set} may assign it (nginx's {@code NGX_HTTP_VAR_CHANGEABLE}). */
    public boolean changeable() {
        return (flags & Variables.CHANGEABLE) != 0;
    }

    public boolean cacheable() {
        return (flags & Variables.NOCACHE) == 0;
    }
}
