package io.jwtgate.gzip;

/**
 * What {@code gzip_static} asks of a request for a file, nginx's {@code ngx_http_gzip_static_handler} before it
 * opens {@code <file>.gz} (docs/gzip.md#gzip_static): the static module looks for the {@code .gz} beside the file
 * when {@link #looks()}, sends it instead of the file when it is there and {@link #sends()}, and calls
 * {@link GzipModule#varies} when it is there and {@link #varies()}.
 */
public enum Precompressed {

    /** {@code gzip_static off}, or a request it does not apply to: no {@code .gz} is looked for. */
    OFF(false, false, false),
    /** {@code gzip_static on} for a client that does not take gzip, with {@code gzip_vary on}. */
    VARY_ONLY(true, false, true),
    /** {@code gzip_static on} for a client that takes gzip. */
    ON(true, true, true),
    /** {@code gzip_static always}: the {@code .gz}, whatever the client takes, and no {@code Vary}. */
    ALWAYS(true, true, false);

    private final boolean looks;
    private final boolean sends;
    private final boolean varies;

    Precompressed(boolean looks, boolean sends, boolean varies) {
        this.looks = looks;
        this.sends = sends;
        this.varies = varies;
    }

    /** Whether {@code <file>.gz} is looked for. */
    public boolean looks() {
        return looks;
    }

    /** Whether an existing {@code .gz} (not a directory) is sent instead of the file. */
    public boolean sends() {
        return sends;
    }

    /** Whether an existing {@code .gz} makes the response vary with {@code Accept-Encoding}. */
    public boolean varies() {
        return varies;
    }
}
