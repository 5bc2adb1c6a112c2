package io.jwtgate.core.tls;

import io.netty.handler.ssl.CipherSuiteConverter;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import javax.net.ssl.SSLContext;

/**
 * An OpenSSL cipher string ({@code ssl_ciphers}) evaluated over the JDK's TLS 1.2 cipher suites as OpenSSL evaluates
 * it over its own: elements separated by {@code :}, {@code ,} or spaces, each a cipher name ({@code
 * ECDHE-RSA-AES128-GCM-SHA256}) or an alias ({@code HIGH}, {@code aNULL}, {@code kEECDH}, {@code AESGCM}...), several
 * joined by {@code +} (all must match), prefixed by {@code !} (removed for good), {@code -} (removed) or {@code +}
 * (moved to the end); {@code @STRENGTH} sorts by key length; {@code @SECLEVEL=n} is accepted. TLS 1.3 suites are not
 * chosen by it, as in OpenSSL (docs/configuration.md#tls-for-clients).
 *
 * <p>A word that is neither a cipher name (with a {@code -}) nor an alias OpenSSL has is refused, where OpenSSL skips
 * it: jwtgate does not guess. An alias of ciphers the JDK does not have ({@code PSK}, {@code CAMELLIA},
 * {@code EXPORT}...) matches nothing, as it would match nothing in OpenSSL without them.
 */
public final class CipherString {

    /** Aliases of ciphers the JDK has none of: they match nothing. */
    private static final Set<String> ABSENT = Set.of("EXP", "EXPORT", "EXPORT40", "EXPORT56", "PSK", "kPSK",
            "aPSK", "kECDHEPSK", "kDHEPSK", "kRSAPSK", "SRP", "kSRP", "aSRP", "SEED", "IDEA", "RC2", "KRB5", "kKRB5",
            "aKRB5", "GOST94", "GOST89MAC", "aGOST", "aGOST01", "kGOST", "CAMELLIA", "CAMELLIA128", "CAMELLIA256",
            "ARIA", "ARIA128", "ARIA256", "ARIAGCM", "LOW", "DES", "RC4", "eNULL", "NULL", "COMPLEMENTOFALL", "MD5",
            "aECDH", "AECDH", "kECDHr", "kECDHe", "kECDH", "ECDH", "ADH", "kDHr", "kDHd", "kDH", "aDH", "FZA", "kFZA",
            "aFZA", "eFZA", "SSLv2", "AESCCM8", "CBC3");

    private CipherString() {
    }

    /** One of the JDK's TLS 1.2 suites: its names, the OpenSSL aliases it belongs to, its key length. */
    private record Suite(String javaName, String openSslName, Set<String> aliases, int bits) {
    }

    /** Evaluates {@code cipherString} over the JDK's enabled suites: {@link #select(String, List)}. */
    public static List<String> select(String cipherString) {
        try {
            return select(cipherString, List.of(SSLContext.getDefault().getDefaultSSLParameters().getCipherSuites()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no default TLS context", e);
        }
    }

    /**
     * Evaluates {@code cipherString} over {@code supported} (Java names, in the JDK's order of preference); the TLS 1.3
     * suites of {@code supported} come first, as OpenSSL puts them.
     *
     * @throws IllegalArgumentException with the reason, for a word it cannot translate or when no TLS 1.2 suite is left
     */
    public static List<String> select(String cipherString, List<String> supported) {
        List<Suite> all = new ArrayList<>();
        List<String> tls13 = new ArrayList<>();
        for (String name : supported) {
            if (!name.contains("_WITH_")) {
                if (name.startsWith("TLS_AES_") || name.startsWith("TLS_CHACHA20_")) {
                    tls13.add(name);
                }
                continue;
            }
            Suite s = suite(name);
            if (s != null) {
                all.add(s);
            }
        }
        LinkedHashSet<Suite> chosen = new LinkedHashSet<>();
        Set<Suite> banned = new HashSet<>();
        for (String word : cipherString.trim().split("[:, ]+")) {
            if (word.isEmpty()) {
                continue;
            }
            if (word.equals("@STRENGTH")) {
                List<Suite> sorted = new ArrayList<>(chosen);
                sorted.sort(Comparator.comparingInt(Suite::bits).reversed());
                chosen.clear();
                chosen.addAll(sorted);
                continue;
            }
            if (word.startsWith("@SECLEVEL=")) {
                continue;
            }
            char op = word.charAt(0);
            String rule = op == '!' || op == '-' || op == '+' ? word.substring(1) : word;
            Predicate<Suite> match = matcher(rule);
            List<Suite> matching = all.stream().filter(match).toList();
            switch (op) {
                case '!':
                    banned.addAll(matching);
                    matching.forEach(chosen::remove);
                    break;
                case '-':
                    matching.forEach(chosen::remove);
                    break;
                case '+':
                    for (Suite s : matching) {
                        if (chosen.remove(s)) {
                            chosen.add(s);
                        }
                    }
                    break;
                default:
                    for (Suite s : matching) {
                        if (!banned.contains(s)) {
                            chosen.add(s);
                        }
                    }
                    break;
            }
        }
        if (chosen.isEmpty()) {
            throw new IllegalArgumentException("no cipher match");
        }
        List<String> out = new ArrayList<>(tls13);
        chosen.forEach(s -> out.add(s.javaName()));
        return out;
    }

    /** What an element ({@code ECDHE+AESGCM}, {@code HIGH}, {@code AES128-SHA}) matches. */
    private static Predicate<Suite> matcher(String rule) {
        if (rule.contains("-") && !rule.contains("+")) {
            return s -> s.openSslName().equals(rule);
        }
        Predicate<Suite> all = s -> true;
        for (String alias : rule.split("\\+")) {
            all = all.and(alias(alias));
        }
        return all;
    }

    private static Predicate<Suite> alias(String alias) {
        if (ABSENT.contains(alias)) {
            return s -> false;
        }
        switch (alias) {
            case "ALL":
            case "HIGH":
                return s -> true; // every suite the JDK has, anonymous ones included
            case "DEFAULT":
                return s -> !s.aliases().contains("aNULL");
            case "COMPLEMENTOFDEFAULT":
                return s -> s.aliases().contains("aNULL");
            case "MEDIUM":
                return s -> false; // the JDK's TLS 1.2 suites are all HIGH (128 bits or more, no 3DES or RC4)
            default:
                if (!KNOWN.contains(alias)) {
                    throw new IllegalArgumentException("unknown cipher or alias \"" + alias + "\" (OpenSSL would "
                            + "skip it; jwtgate does not guess)");
                }
                return s -> s.aliases().contains(alias);
        }
    }

    /** The aliases {@link #suite} gives, and so those that can match. */
    private static final Set<String> KNOWN = Set.of("kECDHE", "kEECDH", "ECDHE", "EECDH", "kDHE", "kEDH", "DHE",
            "EDH", "DH", "kRSA", "RSA", "aRSA", "aECDSA", "ECDSA", "aDSS", "DSS", "aNULL", "AES", "AES128", "AES256",
            "AESGCM", "AESCCM", "CHACHA20", "3DES", "SHA1", "SHA", "SHA256", "SHA384", "AEAD", "TLSv1.2", "TLSv1",
            "SSLv3", "TLSv1.0");

    /** A TLS 1.2 suite's OpenSSL aliases, from its Java name; {@code null} for one OpenSSL has no name for. */
    private static Suite suite(String javaName) {
        String openSsl = CipherSuiteConverter.toOpenSsl(javaName, false);
        if (openSsl == null) {
            return null;
        }
        String[] halves = javaName.substring(4).split("_WITH_");
        String kx = halves[0];
        String rest = halves[1];
        Set<String> a = new HashSet<>();
        if (kx.startsWith("ECDHE_")) {
            a.addAll(List.of("kECDHE", "kEECDH", "ECDHE", "EECDH"));
        } else if (kx.startsWith("DHE_")) {
            a.addAll(List.of("kDHE", "kEDH", "DHE", "EDH", "DH"));
        } else if (kx.equals("RSA")) {
            a.addAll(List.of("kRSA", "RSA"));
        } else if (kx.contains("anon")) {
            a.add("aNULL");
        } else {
            return null; // static ECDH/DH key exchange, which OpenSSL 3 no longer has
        }
        if (kx.endsWith("RSA")) {
            a.add("aRSA");
        } else if (kx.endsWith("ECDSA")) {
            a.addAll(List.of("aECDSA", "ECDSA"));
        } else if (kx.endsWith("DSS")) {
            a.addAll(List.of("aDSS", "DSS"));
        }
        int bits;
        if (rest.startsWith("AES_128") || rest.startsWith("AES_256")) {
            bits = rest.startsWith("AES_128") ? 128 : 256;
            a.addAll(List.of("AES", "AES" + bits));
            if (rest.contains("_GCM_")) {
                a.add("AESGCM");
            } else if (rest.contains("_CCM")) {
                a.add("AESCCM");
            }
        } else if (rest.startsWith("CHACHA20")) {
            bits = 256;
            a.add("CHACHA20");
        } else {
            return null; // 3DES, RC4, DES, NULL: not among the JDK's enabled suites, never HIGH
        }
        boolean aead = rest.contains("_GCM_") || rest.contains("_CCM") || rest.contains("POLY1305");
        if (aead) {
            a.add("AEAD");
        } else if (rest.endsWith("_SHA")) {
            a.addAll(List.of("SHA1", "SHA"));
        } else if (rest.endsWith("_SHA256")) {
            a.add("SHA256");
        } else if (rest.endsWith("_SHA384")) {
            a.add("SHA384");
        }
        // OpenSSL's protocol aliases: the version that brought the suite in
        a.add(aead || rest.endsWith("_SHA256") || rest.endsWith("_SHA384") ? "TLSv1.2" : "SSLv3");
        if (a.contains("SSLv3")) {
            a.addAll(List.of("TLSv1", "TLSv1.0"));
        }
        return new Suite(javaName, openSsl, a, bits);
    }
}
