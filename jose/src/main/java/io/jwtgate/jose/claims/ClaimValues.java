package io.jwtgate.jose.claims;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Renders claim and header values as variable strings ({@code jwt_claim} and {@code jwt_header}:
 * docs/jwt.md#jwt_claim-jwt_header).
 */
public final class ClaimValues {

    private ClaimValues() {
    }

    /**
     * The variable value of {@code node}: a string as is; a number as its JSON text; a boolean as
     * {@code true}/{@code false}; an array of scalars joined with {@code ,}; an object or an array
     * holding containers as compact JSON; JSON {@code null} as the empty string.
     *
     * @return the text, or {@code null} when the node is missing (the variable is "not found")
     */
    public static String render(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return null;
        }
        switch (node.getNodeType()) {
            case STRING:
                return node.textValue();
            case NUMBER:
            case BOOLEAN:
                return node.toString();
            case NULL:
                return "";
            case ARRAY: {
                for (JsonNode el : node) {
                    if (el.isContainerNode()) {
                        return node.toString();
                    }
                }
                StringBuilder sb = new StringBuilder();
                for (int i = 0; i < node.size(); i++) {
                    if (i > 0) {
                        sb.append(',');
                    }
                    sb.append(render(node.get(i)));
                }
                return sb.toString();
            }
            default:
                return node.toString(); // compact JSON
        }
    }
}
