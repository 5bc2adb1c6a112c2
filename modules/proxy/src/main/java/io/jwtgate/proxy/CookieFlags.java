package io.jwtgate.proxy;

import io.jwtgate.core.http.HttpExchange;
import io.jwtgate.core.var.ComplexValue;
import java.util.List;
import java.util.Locale;

/**
 * {@code proxy_cookie_flags} applied to one parsed {@code Set-Cookie}, nginx's
 * {@code ngx_http_proxy_rewrite_cookie_flags} and {@code ngx_http_proxy_edit_cookie_flags}: {@code Secure},
 * {@code HttpOnly} and {@code SameSite} are added, changed or taken off. The flags asked for are bits, used up as
 * the cookie's attributes are met, as nginx's; what is left is added at the end (a {@code SameSite} asked for twice
 * can so be added next to the one the cookie had).
 */
final class CookieFlags {

    private static final int SECURE_ON = 1;
    private static final int SECURE_OFF = 1 << 1;
    private static final int HTTPONLY_ON = 1 << 2;
    private static final int HTTPONLY_OFF = 1 << 3;
    private static final int SAMESITE_STRICT = 1 << 4;
    private static final int SAMESITE_LAX = 1 << 5;
    private static final int SAMESITE_NONE = 1 << 6;
    private static final int SAMESITE_OFF = 1 << 7;

    private CookieFlags() {
    }

    /**
     * Edits {@code attrs} (name and value pairs, the cookie first; a pair whose name becomes {@code null} is taken
     * off) by the first rule that names the cookie; whether a known flag was asked for (nginx then writes the cookie
     * again, changed or not).
     */
    static boolean edit(HttpExchange x, List<ProxyCookies.FlagRule> rules, List<String[]> attrs) {
        String cookie = attrs.get(0)[0];
        for (ProxyCookies.FlagRule rule : rules) {
            if (rule.matches(x, cookie)) {
                int flags = flags(x, rule.flags());
                if (flags == 0) {
                    return false;
                }
                apply(flags, attrs);
                return true;
            }
        }
        return false;
    }

    /** The flags asked for; an unknown or empty word is ignored, as nginx does. */
    private static int flags(HttpExchange x, List<ComplexValue> values) {
        int f = 0;
        for (ComplexValue v : values) {
            f |= switch (v.evaluate(x).toLowerCase(Locale.ROOT)) {
                case "secure" -> SECURE_ON;
                case "nosecure" -> SECURE_OFF;
                case "httponly" -> HTTPONLY_ON;
                case "nohttponly" -> HTTPONLY_OFF;
                case "samesite=strict" -> SAMESITE_STRICT;
                case "samesite=lax" -> SAMESITE_LAX;
                case "samesite=none" -> SAMESITE_NONE;
                case "nosamesite" -> SAMESITE_OFF;
                default -> 0;
            };
        }
        return f;
    }

    private static void apply(int asked, List<String[]> attrs) {
        int flags = asked;
        for (int i = 1; i < attrs.size(); i++) {
            String[] a = attrs.get(i);
            if (a[0].equalsIgnoreCase("secure")) {
                if ((flags & SECURE_ON) != 0) {
                    flags &= ~SECURE_ON;
                } else if ((flags & SECURE_OFF) != 0) {
                    a[0] = null;
                }
            } else if (a[0].equalsIgnoreCase("httponly")) {
                if ((flags & HTTPONLY_ON) != 0) {
                    flags &= ~HTTPONLY_ON;
                } else if ((flags & HTTPONLY_OFF) != 0) {
                    a[0] = null;
                }
            } else if (a[0].equalsIgnoreCase("samesite")) {
                String set = (flags & SAMESITE_STRICT) != 0 ? "Strict" : (flags & SAMESITE_LAX) != 0 ? "Lax"
                        : (flags & SAMESITE_NONE) != 0 ? "None" : null;
                if (set != null) {
                    flags &= ~(set.equals("Strict") ? SAMESITE_STRICT : set.equals("Lax") ? SAMESITE_LAX
                            : SAMESITE_NONE);
                    if (a[1] == null || !a[1].equalsIgnoreCase(set)) {
                        a[0] = "SameSite";
                        a[1] = set;
                    }
                } else if ((flags & SAMESITE_OFF) != 0) {
                    a[0] = null;
                }
            }
        }
        if ((flags & SECURE_ON) != 0) {
            attrs.add(new String[] {"Secure", null});
        }
        if ((flags & HTTPONLY_ON) != 0) {
            attrs.add(new String[] {"HttpOnly", null});
        }
        if ((flags & (SAMESITE_STRICT | SAMESITE_LAX | SAMESITE_NONE)) != 0) {
            attrs.add(new String[] {"SameSite", (flags & SAMESITE_STRICT) != 0 ? "Strict"
                : (flags & SAMESITE_LAX) != 0 ? "Lax" : "None"});
        }
    }
}
