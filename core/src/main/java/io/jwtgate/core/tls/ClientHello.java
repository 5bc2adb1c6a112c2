package io.jwtgate.core.tls;

import io.netty.buffer.ByteBuf;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.function.IntFunction;

/**
 * What a client offered in its TLS ClientHello that the JDK's engine does not tell afterwards: its cipher suites and
 * its supported groups, named as OpenSSL names them for nginx's {@code $ssl_ciphers} and {@code $ssl_curves}
 * (docs/configuration.md#tls-variables).
 *
 * @param ciphers the offered cipher suites, {@code :}-separated, a code OpenSSL has no name for as {@code 0x}
 *     and four hex digits
 * @param curves the offered groups, the same way
 */
public record ClientHello(String ciphers, String curves) {

    /** OpenSSL's cipher names by code, from a table of what OpenSSL 3.0 knows. */
    private static final Map<Integer, String> CIPHERS = cipherTable();

    /**
     * OpenSSL's short names of the TLS groups it knows (1 to 0x1e, then the finite-field ones), as
     * {@code OBJ_nid2sn} gives them: the NIST curves under their X9.62 names where OpenSSL has one.
     */
    private static final String[] EC_GROUPS = {null, "sect163k1", "sect163r1", "sect163r2", "sect193r1",
        "sect193r2", "sect233k1", "sect233r1", "sect239k1", "sect283k1", "sect283r1", "sect409k1", "sect409r1",
        "sect571k1", "sect571r1", "secp160k1", "secp160r1", "secp160r2", "secp192k1", "prime192v1", "secp224k1",
        "secp224r1", "secp256k1", "prime256v1", "secp384r1", "secp521r1", "brainpoolP256r1", "brainpoolP384r1",
        "brainpoolP512r1", "X25519", "X448"};

    /** The {@code supported_groups} extension's type. */
    private static final int SUPPORTED_GROUPS = 10;

    /**
     * Reads a ClientHello's body (from {@code client_version}, as Netty's {@code SslClientHelloHandler} hands it on)
     * without moving {@code body}'s indexes; what a malformed or truncated one lacks is left empty.
     */
    public static ClientHello parse(ByteBuf body) {
        ByteBuf in = body.duplicate();
        String ciphers = "";
        String curves = "";
        if (in.readableBytes() >= 2 + 32 && vector(in.skipBytes(2 + 32), 1) != null) {
            ByteBuf suites = vector(in, 2);
            ByteBuf extensions = suites != null && vector(in, 1) != null ? vector(in, 2) : null;
            ciphers = suites == null ? "" : codes(suites, ClientHello::cipherName);
            while (extensions != null && extensions.readableBytes() >= 4) {
                int type = extensions.readUnsignedShort();
                ByteBuf data = vector(extensions, 2);
                if (data == null) {
                    break;
                }
                ByteBuf groups = type == SUPPORTED_GROUPS ? vector(data, 2) : null;
                if (groups != null) {
                    curves = codes(groups, ClientHello::groupName);
                }
            }
        }
        return new ClientHello(ciphers, curves);
    }

    /** A vector with a length of {@code lengthBytes} (1 or 2) bytes, read; {@code null} if truncated. */
    private static ByteBuf vector(ByteBuf in, int lengthBytes) {
        if (in.readableBytes() < lengthBytes) {
            return null;
        }
        int length = lengthBytes == 1 ? in.readUnsignedByte() : in.readUnsignedShort();
        return in.readableBytes() < length ? null : in.readSlice(length);
    }

    /** A list of two-byte codes, each named, joined with {@code :} as nginx joins them. */
    private static String codes(ByteBuf in, IntFunction<String> name) {
        StringJoiner out = new StringJoiner(":");
        while (in.readableBytes() >= 2) {
            out.add(name.apply(in.readUnsignedShort()));
        }
        return out.toString();
    }

    static String cipherName(int code) {
        String name = CIPHERS.get(code);
        return name != null ? name : unknown(code);
    }

    static String groupName(int code) {
        if (code < EC_GROUPS.length && EC_GROUPS[code] != null) {
            return EC_GROUPS[code];
        }
        if (code >= 0x100 && code <= 0x104) {
            return "ffdhe" + new int[] {2048, 3072, 4096, 6144, 8192}[code - 0x100];
        }
        return unknown(code);
    }

    /** nginx's {@code 0x%04xd}, and its hex dump of an unknown cipher's two bytes: the same lower-case digits. */
    private static String unknown(int code) {
        return String.format(Locale.ROOT, "0x%04x", code);
    }

    private static Map<Integer, String> cipherTable() {
        Map<Integer, String> table = new HashMap<>();
        try (InputStream s = ClientHello.class.getResourceAsStream("cipher-suites.txt");
                BufferedReader r = new BufferedReader(new InputStreamReader(s, StandardCharsets.US_ASCII))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (!line.startsWith("#") && !line.isBlank()) {
                    String[] f = line.split(" ");
                    table.put(Integer.parseInt(f[0], 16), f[1]);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.copyOf(table);
    }
}
