package io.jwtgate.core.server;

import io.netty.handler.codec.http.HttpHeaders;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** The request headers a {@code $http_NAME} variable reads, found as nginx finds them. */
final class VariableHeaders {

    private VariableHeaders() {
    }

    /**
     * Every value of the headers whose name is {@code name}, ASCII case ignored and a {@code -} in the header's name
     * read as {@code _}, in order.
     */
    static List<String> find(HttpHeaders headers, String name) {
        List<String> values = new ArrayList<>(1);
        for (Iterator<Map.Entry<CharSequence, CharSequence>> it = headers.iteratorCharSequence(); it.hasNext();) {
            Map.Entry<CharSequence, CharSequence> e = it.next();
            if (isVariableName(e.getKey(), name)) {
                values.add(e.getValue().toString());
            }
        }
        return values;
    }

    private static boolean isVariableName(CharSequence header, String name) {
        if (header.length() != name.length()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = header.charAt(i);
            if ((c == '-' ? '_' : lowerAscii(c)) != lowerAscii(name.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static char lowerAscii(char c) {
        return c >= 'A' && c <= 'Z' ? (char) (c + 32) : c;
    }
}
