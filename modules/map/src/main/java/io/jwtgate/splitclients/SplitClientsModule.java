package io.jwtgate.splitclients;

import io.jwtgate.core.codec.WireText;
import io.jwtgate.core.conf.Arity;
import io.jwtgate.core.conf.ConfDirective;
import io.jwtgate.core.conf.ConfException;
import io.jwtgate.core.conf.Context;
import io.jwtgate.core.http.HttpExchange;
import io.jwtgate.core.module.ConfContext;
import io.jwtgate.core.module.Directive;
import io.jwtgate.core.module.HttpModule;
import io.jwtgate.core.var.ComplexValue;
import io.jwtgate.core.var.Variables;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

/**
 * {@code split_clients string $variable { 0.5% one; 2% two; * ""; }}: {@code $variable} is the value of the share
 * that nginx's MurmurHash2 of {@code string} falls in, so that the same string always lands in the same share, and
 * in the same one as with nginx (docs/map.md#split_clients).
 */
public final class SplitClientsModule extends HttpModule {

    /** A share: the hash values below {@code bound} (unsigned; 0 for the rest) give {@code value}. */
    private record Part(long bound, String value) {
    }

    private record Split(ComplexValue source, List<Part> parts) {
    }

    public SplitClientsModule() {
        super("split_clients");
    }

    @Override
    public List<Directive> directives() {
        return List.of(Directive.block("split_clients", EnumSet.of(Context.HTTP), Arity.TAKE2, this::block));
    }

    /** {@code ngx_conf_split_clients_block}. */
    private void block(ConfContext cx, ConfDirective d) throws ConfException {
        ComplexValue source = cx.compile(d, d.arg(0));
        String name = d.arg(1);
        if (name.isEmpty() || name.charAt(0) != '$') {
            throw d.error("invalid variable name \"%s\"", name);
        }
        List<Long> percents = new ArrayList<>();
        List<String> values = new ArrayList<>();
        for (ConfDirective e : d.block()) {
            if (e.isBlock()) {
                throw e.error("unexpected \"{\"");
            }
            if (e.args().size() != 1) {
                // nginx reads past the entry here (docs/map.md#split_clients)
                throw e.error("invalid number of the split_clients parameters");
            }
            percents.add(percent(e));
            values.add(e.arg(0));
        }
        List<Part> parts = new ArrayList<>();
        long sum = 0;
        long last = 0;
        for (int i = 0; i < percents.size(); i++) {
            long p = percents.get(i);
            sum = p != 0 ? sum + p : 10000;
            if (sum == 10000) {
                p = 0;
            }
            if (sum > 10000) {
                throw d.error("percent total is greater than 100%");
            }
            if (p != 0) {
                last += p * 0xffffffffL / 10000;
                // nginx keeps the running bound in 32 bits
                last &= 0xffffffffL;
                parts.add(new Part(last, values.get(i)));
            } else {
                parts.add(new Part(0, values.get(i)));
            }
        }
        try {
            cx.variables().define(name.substring(1), (x, data) -> lookup(x, (Split) data),
                    new Split(source, List.copyOf(parts)), Variables.CHANGEABLE);
        } catch (IllegalArgumentException e) {
            throw d.error(e.getMessage());
        }
    }

    /** The share's percent in hundredths ({@code ngx_atofp(value, 2)}), 0 for {@code *}. */
    private static long percent(ConfDirective e) throws ConfException {
        String text = e.name();
        if (text.equals("*")) {
            return 0;
        }
        long n = text.endsWith("%") ? fixedPoint(text.substring(0, text.length() - 1)) : -1;
        if (n <= 0) {
            throw e.error("invalid percent value \"%s\"", text);
        }
        return n;
    }

    /** {@code ngx_atofp(text, 2)}: digits with at most one point and two decimals, in hundredths; -1 if invalid. */
    private static long fixedPoint(String text) {
        if (text.isEmpty()) {
            return -1;
        }
        long value = 0;
        int point = 2;
        boolean dot = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '.') {
                if (dot) {
                    return -1;
                }
                dot = true;
                continue;
            }
            if (c < '0' || c > '9') {
                return -1;
            }
            if (dot && point-- == 0) {
                return -1;
            }
            value = value * 10 + (c - '0');
            if (value > Integer.MAX_VALUE) {
                return -1;
            }
        }
        while (point-- > 0) {
            value *= 10;
        }
        return value;
    }

    private static String lookup(HttpExchange x, Split split) {
        String text = split.source().evaluate(x);
        long hash = murmurHash2(WireText.encode(text).getBytes(StandardCharsets.ISO_8859_1)) & 0xffffffffL;
        for (Part p : split.parts()) {
            if (hash < p.bound() || p.bound() == 0) {
                return p.value();
            }
        }
        return "";
    }

    /** nginx's {@code ngx_murmur_hash2} (Austin Appleby's MurmurHash2, seed 0 xor length). */
    static int murmurHash2(byte[] data) {
        final int m = 0x5bd1e995;
        int len = data.length;
        int h = len;
        int i = 0;
        while (len >= 4) {
            int k = (data[i] & 0xff) | (data[i + 1] & 0xff) << 8 | (data[i + 2] & 0xff) << 16
                    | (data[i + 3] & 0xff) << 24;
            k *= m;
            k ^= k >>> 24;
            k *= m;
            h *= m;
            h ^= k;
            i += 4;
            len -= 4;
        }
        switch (len) {
            case 3:
                h ^= (data[i + 2] & 0xff) << 16;
                // fall through
            case 2:
                h ^= (data[i + 1] & 0xff) << 8;
                // fall through
            case 1:
                h ^= data[i] & 0xff;
                h *= m;
                break;
            default:
                break;
        }
        h ^= h >>> 13;
        h *= m;
        h ^= h >>> 15;
        return h;
    }
}
