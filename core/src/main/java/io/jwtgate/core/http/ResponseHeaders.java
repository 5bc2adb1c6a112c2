package io.jwtgate.core.http;

/** The headers of a response being sent; names are case-insensitive. */
public interface ResponseHeaders {

    String get(String name);

    boolean contains(String name);

    void add(String name, String value);

    void set(String name, String value);

    void remove(String name);
}
