package io.jwtgate.core.conf;

import java.nio.file.Path;
import java.util.List;

/**
 * Reads nginx configuration syntax into a tree of {@link ConfDirective}s, expanding {@code include}.
 */
public final class ConfParser {

    private ConfParser() {
    }

    /**
     * Parses the main configuration file. {@code include} globs are resolved against the directory of
     * {@code mainFile} and expanded in place, in sorted order of file names.
     */
    public static List<ConfDirective> parse(Path mainFile) throws ConfException {
        throw new IllegalStateException("parser under construction");
    }
}
