package io.jwtgate.core.codec;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Reads the PEM files nginx reads for TLS: certificate chains, and private keys as PKCS#8
 * ({@code BEGIN PRIVATE KEY}), PKCS#1 RSA ({@code BEGIN RSA PRIVATE KEY}) or SEC1 EC ({@code BEGIN EC PRIVATE KEY}).
 * Encrypted keys are refused: nginx would ask for a pass phrase, a gateway has nobody to ask.
 */
public final class PemFiles {

    private PemFiles() {
    }

    /** Every certificate in the file, leaf first. */
    public static List<X509Certificate> certificates(Path file) throws IOException, GeneralSecurityException {
        String text = Files.readString(file, StandardCharsets.US_ASCII);
        CertificateFactory cf = CertificateFactory.getInstance("X.509");
        List<X509Certificate> out = new ArrayList<>();
        for (byte[] der : blocks(text, "CERTIFICATE")) {
            out.add((X509Certificate) cf.generateCertificate(new ByteArrayInputStream(der)));
        }
        if (out.isEmpty()) {
            throw new GeneralSecurityException("no certificate found");
        }
        return out;
    }

    /** The private key in the file. */
    public static PrivateKey privateKey(Path file) throws IOException, GeneralSecurityException {
        String text = Files.readString(file, StandardCharsets.US_ASCII);
        if (text.contains("ENCRYPTED")) {
            throw new GeneralSecurityException("encrypted private keys are not supported");
        }
        List<byte[]> pkcs8 = blocks(text, "PRIVATE KEY");
        if (!pkcs8.isEmpty()) {
            return pkcs8(pkcs8.get(0));
        }
        List<byte[]> rsa = blocks(text, "RSA PRIVATE KEY");
        if (!rsa.isEmpty()) {
            // PrivateKeyInfo { version 0, AlgorithmIdentifier { rsaEncryption, NULL }, OCTET STRING pkcs1 }
            byte[] alg = Der.sequence(Der.concat(Der.oid(RSA_OID), new byte[] {0x05, 0x00}));
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(
                    Der.sequence(Der.concat(new byte[] {0x02, 0x01, 0x00}, alg, Der.octetString(rsa.get(0))))));
        }
        List<byte[]> ec = blocks(text, "EC PRIVATE KEY");
        if (!ec.isEmpty()) {
            byte[] curve = Der.sec1CurveOid(ec.get(0));
            byte[] alg = Der.sequence(Der.concat(Der.oid(EC_OID), curve));
            return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(
                    Der.sequence(Der.concat(new byte[] {0x02, 0x01, 0x00}, alg, Der.octetString(ec.get(0))))));
        }
        throw new GeneralSecurityException("no private key found");
    }

    private static final byte[] RSA_OID = {0x2A, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xF7, 0x0D, 0x01, 0x01, 0x01};
    private static final byte[] EC_OID = {0x2A, (byte) 0x86, 0x48, (byte) 0xCE, 0x3D, 0x02, 0x01};

    private static PrivateKey pkcs8(byte[] der) throws GeneralSecurityException {
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        GeneralSecurityException last = null;
        for (String type : new String[] {"RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS"}) {
            try {
                return KeyFactory.getInstance(type).generatePrivate(spec);
            } catch (GeneralSecurityException e) {
                last = e;
            }
        }
        throw new GeneralSecurityException("unsupported private key", last);
    }

    private static List<byte[]> blocks(String text, String label) {
        List<byte[]> out = new ArrayList<>();
        String begin = "-----BEGIN " + label + "-----";
        String end = "-----END " + label + "-----";
        int i = 0;
        while ((i = text.indexOf(begin, i)) >= 0) {
            int j = text.indexOf(end, i);
            if (j < 0) {
                break;
            }
            out.add(Base64.getMimeDecoder().decode(text.substring(i + begin.length(), j)));
            i = j + end.length();
        }
        return out;
    }

    /** Just enough DER to wrap PKCS#1 and SEC1 keys into PKCS#8. */
    static final class Der {
        private Der() {
        }

        static byte[] concat(byte[]... parts) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (byte[] p : parts) {
                out.writeBytes(p);
            }
            return out.toByteArray();
        }

        static byte[] tlv(int tag, byte[] value) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(tag);
            int n = value.length;
            if (n < 0x80) {
                out.write(n);
            } else if (n < 0x100) {
                out.write(0x81);
                out.write(n);
            } else if (n < 0x10000) {
                out.write(0x82);
                out.write(n >> 8);
                out.write(n);
            } else {
                out.write(0x83);
                out.write(n >> 16);
                out.write(n >> 8);
                out.write(n);
            }
            out.writeBytes(value);
            return out.toByteArray();
        }

        static byte[] sequence(byte[] content) {
            return tlv(0x30, content);
        }

        static byte[] octetString(byte[] content) {
            return tlv(0x04, content);
        }

        static byte[] oid(byte[] content) {
            return tlv(0x06, content);
        }

        /** The named curve OID (as a full TLV) from an ECPrivateKey's {@code [0] parameters}. */
        static byte[] sec1CurveOid(byte[] sec1) throws GeneralSecurityException {
            int[] pos = {0};
            int seqLen = header(sec1, pos, 0x30);
            int end = pos[0] + seqLen;
            while (pos[0] < end) {
                int tag = sec1[pos[0]] & 0xff;
                int start = pos[0];
                int len = header(sec1, pos, tag);
                if (tag == 0xA0) {
                    int inner = pos[0];
                    int[] p2 = {inner};
                    int oidLen = header(sec1, p2, 0x06);
                    byte[] out = new byte[p2[0] - inner + oidLen];
                    System.arraycopy(sec1, inner, out, 0, out.length);
                    return out;
                }
                pos[0] += len;
                if (pos[0] <= start) {
                    break;
                }
            }
            throw new GeneralSecurityException("EC private key without a named curve");
        }

        private static int header(byte[] b, int[] pos, int expectedTag) throws GeneralSecurityException {
            if (pos[0] + 2 > b.length || (b[pos[0]] & 0xff) != expectedTag) {
                throw new GeneralSecurityException("malformed DER");
            }
            pos[0]++;
            int len = b[pos[0]++] & 0xff;
            if (len >= 0x80) {
                int n = len & 0x7f;
                if (n > 3 || pos[0] + n > b.length) {
                    throw new GeneralSecurityException("malformed DER");
                }
                len = 0;
                for (int i = 0; i < n; i++) {
                    len = (len << 8) | (b[pos[0]++] & 0xff);
                }
            }
            if (pos[0] + len > b.length) {
                throw new GeneralSecurityException("malformed DER");
            }
            return len;
        }
    }
}
