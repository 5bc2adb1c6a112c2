package io.jwtgate.core.server;

import java.util.List;

/**
 * The browsers nginx recognises in {@code User-Agent} ({@code ngx_http_process_user_agent}), for
 * {@code keepalive_disable} and {@code msie_padding}: MSIE (4 to 6: without "SV1" for 6), unless the agent also says
 * Opera; Chrome, and Safari on Mac OS X, when it says neither MSIE, Opera nor Gecko (Safari: nor Chrome).
 */
record UserAgentFlags(boolean msie, boolean msie6, boolean chrome, boolean safari) {

    static UserAgentFlags of(List<String> userAgents) {
        boolean msie = false;
        boolean msie6 = false;
        boolean opera = false;
        boolean safari = false;
        boolean chrome = false;
        for (String ua : userAgents) {
            int at = ua.indexOf("MSIE ");
            if (at >= 0 && at + 7 < ua.length()) {
                msie = true;
                if (ua.charAt(at + 6) == '.') {
                    char major = ua.charAt(at + 5);
                    msie6 |= major == '4' || major == '5' || major == '6' && ua.indexOf("SV1", at + 8) < 0;
                }
            }
            if (ua.contains("Opera")) {
                opera = true;
                msie = false;
                msie6 = false;
            }
            if (!msie && !opera && !ua.contains("Gecko/")) {
                if (ua.contains("Chrome/")) {
                    chrome = true;
                } else if (ua.contains("Safari/") && ua.contains("Mac OS X")) {
                    safari = true;
                }
            }
        }
        return new UserAgentFlags(msie, msie6, chrome, safari);
    }

    /** MSIE or Chrome: the browsers that show a page of their own for a short error page. */
    boolean friendlyErrorPages() {
        return msie || chrome;
    }
}
