package io.jwtgate.core.http;

import java.util.List;

/** The headers of a response being sent; names are case-insensitive. */
public interface ResponseHeaders {

    String get(String name);

    /** Every value of {@code name}, in order (nginx's multi-line headers such as {@code Cache-Control}). */
    List<String> getAll(String name);

    boolean contains(String name);

    void add(String name, String value);

    /**
     * Adds a header where nginx writes headers a module added, after its own, whatever the name
     * ({@code add_header Content-Type ...} gives a second line there, as nginx's headers filter does).
     */
    void addListed(String name, String value);

    /**
     * Gives {@code name} this one value: where the header is present its first line keeps its place, as nginx
     * changes a header in place (the others of the name go); else it is added at the end.
     */
    void set(String name, String value);

    void remove(String name);

    /**
     * Changes the status of the response being sent, for a filter that turns it into another answer to the same
     * request, as nginx's range filter turns a 200 into a 206 once the filters before it left ranges allowed
     * (docs/modules.md#header-and-body-filters). The filters after it see the new status.
     */
    void setStatus(int status);
}
