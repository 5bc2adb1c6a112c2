package io.jwtgate.core.config;

import io.jwtgate.core.conf.ConfDirective;
import io.jwtgate.core.conf.Context;
import io.jwtgate.core.http.LocationConf;
import io.jwtgate.core.http.LocationDraft;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * One http, server or location block, or the block of an {@code if} in a location (nginx's pseudo-location), while
 * the configuration is read: module drafts plus the block's own data.
 */
final class Level implements LocationDraft {

    /** How a location's pattern is matched, from its modifier. */
    enum Modifier { EXACT, PREFIX, PREFIX_NOREGEX, REGEX, REGEX_CASELESS, NAMED }

    final Context kind;
    final Level parent;
    final Object[] drafts;
    final ConfDirective where;
    /** The nested blocks: servers of http, locations (named ones too) of a server or location. */
    final List<Level> children = new ArrayList<>();
    /** The {@code if} blocks of a location: merged from it, never matched by a URI. */
    final List<Level> ifBlocks = new ArrayList<>();
    /** The {@code limit_except} block of a location, merged from it as an {@code if} block is, and its methods. */
    Level limitExcept;
    Set<String> limitExceptMethods;

    // server
    final List<ListenSpec> listens = new ArrayList<>();
    final List<String> names = new ArrayList<>();
    ConfDirective firstServerName;

    // location
    Modifier modifier;
    String pattern;
    boolean internal;
    boolean autoRedirect;

    Object[] merged;
    LocationConf conf;

    Level(Context kind, Level parent, int slots, ConfDirective where) {
        this.kind = kind;
        this.parent = parent;
        this.drafts = new Object[slots];
        this.where = where;
    }

    @Override
    public String pattern() {
        return pattern;
    }

    @Override
    public boolean regex() {
        return modifier == Modifier.REGEX || modifier == Modifier.REGEX_CASELESS;
    }

    @Override
    public void setInternal() {
        internal = true;
    }

    @Override
    public void setAutoRedirect() {
        autoRedirect = true;
    }

    /** Whether this is a block inside a location that takes its name and place: {@code if}, {@code limit_except}. */
    boolean isPseudoLocation() {
        return kind == Context.IF_LOCATION || kind == Context.LIMIT_EXCEPT;
    }

    /** The directive that opens the block, for messages about it; a pseudo-location's is its location's. */
    ConfDirective locationWhere() {
        return isPseudoLocation() ? parent.where : where;
    }

    /** The location's name as nginx prints it, e.g. {@code = /x}, {@code ~* \.jpg$} or {@code @name}. */
    String displayName() {
        if (isPseudoLocation()) {
            return parent.displayName(); // nginx's pseudo-location takes its location's name
        }
        if (kind != Context.LOCATION) {
            return kind == Context.SERVER ? "server" : "http";
        }
        switch (modifier) {
            case EXACT: return "= " + pattern;
            case PREFIX_NOREGEX: return "^~ " + pattern;
            case REGEX: return "~ " + pattern;
            case REGEX_CASELESS: return "~* " + pattern;
            default: return pattern; // PREFIX, NAMED (the name with its @)
        }
    }
}
