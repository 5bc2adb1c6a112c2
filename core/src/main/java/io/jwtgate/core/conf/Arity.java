package io.jwtgate.core.conf;

/**
 * How many arguments a directive takes, as nginx's {@code NGX_CONF_TAKE*} flags say it.
 *
 * @param min the fewest arguments accepted
 * @param max the most arguments accepted, {@link Integer#MAX_VALUE} for "one or more"
 */
public record Arity(int min, int max) {

    public static final Arity NONE = new Arity(0, 0);
    public static final Arity TAKE1 = new Arity(1, 1);
    public static final Arity TAKE2 = new Arity(2, 2);
    public static final Arity TAKE3 = new Arity(3, 3);
    public static final Arity TAKE12 = new Arity(1, 2);
    public static final Arity TAKE13 = new Arity(1, 3);
    public static final Arity TAKE23 = new Arity(2, 3);
    public static final Arity TAKE123 = new Arity(1, 3);
    public static final Arity TAKE1234 = new Arity(1, 4);
    public static final Arity ANY = new Arity(0, Integer.MAX_VALUE);
    public static final Arity ONE_OR_MORE = new Arity(1, Integer.MAX_VALUE);
    public static final Arity TWO_OR_MORE = new Arity(2, Integer.MAX_VALUE);

    public boolean accepts(int count) {
        return count >= min && count <= max;
    }
}
