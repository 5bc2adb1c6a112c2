package io.jwtgate.metrics;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict reader of the Prometheus text exposition format (0.0.4) and of OpenMetrics text (1.0), for tests: the
 * Prometheus Java client writes these formats but has no parser for them. Every line must be a {@code # HELP}, a
 * {@code # TYPE} or a sample of the family typed last (with the suffixes its type allows); names, label names and
 * escapes must be valid, no series may repeat, a histogram's buckets must be cumulative and end with {@code +Inf}
 * equal to its {@code _count}; OpenMetrics must end with {@code # EOF}. Anything else fails the test.
 */
public final class TextExposition {

    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL = Pattern.compile(
            "([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\\\n]|\\\\[\\\\\"n])*)\"");
    private static final Pattern SAMPLE = Pattern.compile(
            "([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)\\})? (\\S+)( -?\\d+(?:\\.\\d+)?)?");

    /** By series, {@code name{label="value",...}} with labels in name order. */
    private final Map<String, Double> series = new LinkedHashMap<>();
    /** By family name, its type. */
    private final Map<String, String> types = new LinkedHashMap<>();

    private TextExposition() {
    }

    public static TextExposition parse(String text, boolean openMetrics) {
        TextExposition e = new TextExposition();
        String[] lines = text.split("\n", -1);
        if (!lines[lines.length - 1].isEmpty()) {
            throw new AssertionError("the exposition does not end with a line feed");
        }
        int end = lines.length - 1;
        if (openMetrics) {
            if (end == 0 || !lines[end - 1].equals("# EOF")) {
                throw new AssertionError("OpenMetrics without # EOF at the end");
            }
            end--;
        }
        String family = null;
        String type = null;
        Map<String, String> help = new HashMap<>();
        for (int i = 0; i < end; i++) {
            String line = lines[i];
            if (line.startsWith("# HELP ") || line.startsWith("# TYPE ") || line.startsWith("# UNIT ")) {
                String[] parts = line.split(" ", 4);
                if (parts.length < 4 && !line.startsWith("# HELP ")) {
                    throw new AssertionError("line " + (i + 1) + ": " + line);
                }
                check(NAME, parts[2], line);
                if (line.startsWith("# TYPE ")) {
                    if (e.types.containsKey(parts[2])) {
                        throw new AssertionError("family typed twice: " + parts[2]);
                    }
                    if (!Set.of("counter", "gauge", "histogram", "summary", "untyped", "unknown", "info",
                            "stateset", "gaugehistogram").contains(parts[3])) {
                        throw new AssertionError("unknown type: " + line);
                    }
                    family = parts[2];
                    type = parts[3];
                    e.types.put(family, type);
                } else if (line.startsWith("# HELP ") && help.put(parts[2], line) != null) {
                    throw new AssertionError("help given twice: " + line);
                }
                continue;
            }
            if (line.startsWith("#")) {
                throw new AssertionError("line " + (i + 1) + " is neither HELP nor TYPE: " + line);
            }
            Matcher m = SAMPLE.matcher(line);
            if (!m.matches()) {
                throw new AssertionError("line " + (i + 1) + " is no sample: " + line);
            }
            String name = m.group(1);
            if (family == null || !belongs(name, family, type, openMetrics)) {
                throw new AssertionError("sample of no typed family: " + line);
            }
            String key = name + labels(m.group(2), line);
            double value = value(m.group(3), line);
            if (e.series.put(key, value) != null) {
                throw new AssertionError("series repeated: " + line);
            }
        }
        e.checkHistograms();
        return e;
    }

    private static boolean belongs(String name, String family, String type, boolean openMetrics) {
        switch (type) {
            case "counter":
                return openMetrics ? name.equals(family + "_total") || name.equals(family + "_created")
                        : name.equals(family) || name.equals(family + "_created");
            case "histogram":
            case "summary":
                return name.equals(family + "_bucket") || name.equals(family + "_count")
                        || name.equals(family + "_sum") || name.equals(family + "_created")
                        || type.equals("summary") && name.equals(family);
            case "info":
                return name.equals(family + "_info");
            default:
                return name.equals(family);
        }
    }

    private static String labels(String text, String line) {
        if (text == null || text.isEmpty()) {
            return "";
        }
        TreeMap<String, String> sorted = new TreeMap<>();
        Matcher m = LABEL.matcher(text);
        int at = 0;
        while (at < text.length()) {
            if (!m.find(at) || m.start() != at) {
                throw new AssertionError("bad labels: " + line);
            }
            if (sorted.put(m.group(1), m.group(2)) != null) {
                throw new AssertionError("label repeated: " + line);
            }
            at = m.end();
            if (at < text.length()) {
                if (text.charAt(at) != ',') {
                    throw new AssertionError("bad labels: " + line);
                }
                at++;
            }
        }
        StringBuilder sb = new StringBuilder("{");
        sorted.forEach((k, v) -> sb.append(sb.length() > 1 ? "," : "").append(k).append("=\"").append(v)
                .append('"'));
        return sb.append('}').toString();
    }

    private static double value(String text, String line) {
        switch (text) {
            case "+Inf":
                return Double.POSITIVE_INFINITY;
            case "-Inf":
                return Double.NEGATIVE_INFINITY;
            case "NaN":
                return Double.NaN;
            default:
                try {
                    return Double.parseDouble(text);
                } catch (NumberFormatException ex) {
                    throw new AssertionError("bad value: " + line);
                }
        }
    }

    private static void check(Pattern p, String text, String line) {
        if (!p.matcher(text).matches()) {
            throw new AssertionError("bad name: " + line);
        }
    }

    /** Each histogram series: buckets cumulative, the last one +Inf, equal to _count. */
    private void checkHistograms() {
        for (Map.Entry<String, String> t : types.entrySet()) {
            if (!t.getValue().equals("histogram")) {
                continue;
            }
            Map<String, List<double[]>> bySeries = new LinkedHashMap<>();
            String prefix = t.getKey() + "_bucket{";
            series.forEach((k, v) -> {
                if (k.startsWith(prefix)) {
                    Matcher le = Pattern.compile("le=\"([^\"]*)\",?").matcher(k);
                    if (!le.find()) {
                        throw new AssertionError("bucket without le: " + k);
                    }
                    String rest = k.substring(t.getKey().length() + "_bucket".length()).replace(le.group(), "")
                            .replace(",}", "}").replace("{}", "");
                    bySeries.computeIfAbsent(rest, r -> new ArrayList<>())
                            .add(new double[] {value(le.group(1), k), v});
                }
            });
            bySeries.forEach((labels, buckets) -> {
                double last = -1;
                double bound = Double.NEGATIVE_INFINITY;
                for (double[] b : buckets) {
                    if (b[0] <= bound || b[1] < last) {
                        throw new AssertionError("buckets not cumulative: " + t.getKey() + labels);
                    }
                    bound = b[0];
                    last = b[1];
                }
                Double count = series.get(t.getKey() + "_count" + labels);
                if (bound != Double.POSITIVE_INFINITY || count == null || count != last) {
                    throw new AssertionError("+Inf bucket missing or not the count: " + t.getKey() + labels);
                }
            });
        }
    }

    /** The families and their types. */
    public Map<String, String> types() {
        return types;
    }

    /** Every series, {@code name{label="value",...}} with labels in name order. */
    public Map<String, Double> series() {
        return series;
    }

    /** A series' value; {@code labels} as name, value pairs in any order; {@code null} when it is not there. */
    public Double value(String name, String... labels) {
        TreeMap<String, String> sorted = new TreeMap<>();
        for (int i = 0; i < labels.length; i += 2) {
            sorted.put(labels[i], labels[i + 1]);
        }
        StringBuilder sb = new StringBuilder(name);
        if (!sorted.isEmpty()) {
            sb.append('{');
            sorted.forEach((k, v) -> sb.append(sb.charAt(sb.length() - 1) == '{' ? "" : ",").append(k)
                    .append("=\"").append(v).append('"'));
            sb.append('}');
        }
        return series.get(sb.toString());
    }
}
