package io.jwtgate.core.differential;

import static org.assertj.core.api.Assertions.assertThat;

import io.jwtgate.core.builtin.CoreModules;
import io.jwtgate.testing.RawHttpClient;
import io.jwtgate.testing.RawResponse;
import io.jwtgate.testing.SideBySide;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The rewrite module side by side with stock nginx: {@code set}, {@code if} with every condition (files included),
 * {@code rewrite} with each flag, arguments and captures, {@code break}, {@code return}, server-level scripts, the
 * {@code if} pseudo-location and rewrite cycles. Every request must get the same status, {@code Location}, body and
 * marker headers from both.
 */
class RewriteDifferentialTest {

    /** {@code %1$d} the port, {@code %2$s} a directory with test files. */
    static final String SERVERS = """
            server {
                listen 127.0.0.1:%1$d default_server;
                server_name example.com;

                rewrite ^/srv/(.*)$ /target/srv-$1;
                rewrite ^/srvlast/(.*)$ /target/srvlast-$1 last;
                rewrite ^/srvbrk/(.*)$ /hidden/srvbrk-$1 break;
                if ($arg_srv) { return 200 "server-if srv=$arg_srv"; }
                set $from_server "s";

                location /target/ { return 200 "target uri=$uri args=$args is_args=$is_args fs=$from_server"; }
                location /hidden/ { internal; return 200 "hidden uri=$uri"; }
                location /tohidden/ { rewrite ^/tohidden/(.*)$ /hidden/$1 last; }

                location /flags/ {
                    rewrite ^/flags/last/(.*)$ /target/last-$1 last;
                    rewrite ^/flags/break/(.*)$ /target/break-$1 break;
                    rewrite ^/flags/redirect/(.*)$ /target/$1 redirect;
                    rewrite ^/flags/permanent/(.*)$ /target/$1 permanent;
                    rewrite ^/flags/url/(.*)$ http://other.test/$1;
                    rewrite ^/flags/urlq/(.*)$ https://other.test/$1?from=urlq;
                    rewrite ^/flags/drop/(.*)$ /target/$1? last;
                    rewrite ^/flags/newargs/(.*)$ /target/$1?n=$1 last;
                    rewrite ^/flags/newdrop/(.*)$ /target/$1?n=$1? last;
                    rewrite ^/flags/empty/(.*)$ /target/$1?$arg_none last;
                    return 200 "flags fell through $uri";
                }
                location /chain/ {
                    rewrite ^/chain/(.*)$ /chain2/$1;
                    rewrite ^/chain2/(.*)$ /target/chained-$1;
                    return 200 "not reached: the changed URI is looked up after the script";
                }
                location /loop/ { rewrite ^ /loop/again last; }
                location /esc/ { rewrite ^/esc/(.*)$ /target/$1?cap=$1 last; }
                location /escr/ { rewrite ^/escr/(.*)$ /t/$1 redirect; }

                location ~ ^/cap/(\\w+)/(?<num>\\d+)$ {
                    if ($arg_mode = loc) { return 200 "loc 1=$1 2=$2 num=$num"; }
                    if ($arg_mode ~ ^(m)(o)(de)?$) { return 200 "if 1=$1 2=$2 3=$3 num=$num"; }
                    if ($arg_named ~ ^(?<named>[a-z]+)-) { set $n2 "$named"; }
                    set $after "1=$1";
                    return 200 "after $after num=$num named=$n2";
                }
                location /rcap/ {
                    rewrite ^/rcap/(\\w+)/(\\w+)$ /target/$2/$1 last;
                }

                location /set/ {
                    set $a "A";
                    set $b "$a-B-$uri";
                    set $args "replaced=1";
                    return 200 "a=$a b=$b args=$args arg_replaced=$arg_replaced never=$never_set";
                }
                location /never/ { set $never_set x; return 204; }

                location /brk/ {
                    set $v before;
                    if ($arg_b) { break; }
                    set $v after;
                    add_header X-V $v always;
                    return 200 "v=$v";
                }
                location /ps/ {
                    if ($arg_h) { add_header X-If yes; }
                    add_header X-Loc loc;
                    return 200 "ps";
                }
                location /two/ {
                    return 200 "first";
                    return 201 "second";
                }

                location = /t/truth { if ($arg_v) { return 200 "true"; } return 200 "false"; }
                location = /t/eq { if ($arg_v = yes) { return 200 "true"; } return 200 "false"; }
                location = /t/ne { if ($arg_v != yes) { return 200 "true"; } return 200 "false"; }
                location = /t/re { if ($arg_v ~ ^ab+c) { return 200 "true"; } return 200 "false"; }
                location = /t/rei { if ($arg_v ~* ^ab+c) { return 200 "true"; } return 200 "false"; }
                location = /t/nre { if ($arg_v !~ ^ab+c) { return 200 "true"; } return 200 "false"; }
                location = /t/nrei { if ($arg_v !~* ^ab+c) { return 200 "true"; } return 200 "false"; }
                location = /t/spaced { if ( $arg_v = "a" ) { return 200 "true"; } return 200 "false"; }

                location = /f/f { if (-f %2$s/$arg_p) { return 200 "true"; } return 200 "false"; }
                location = /f/nf { if (!-f %2$s/$arg_p) { return 200 "true"; } return 200 "false"; }
                location = /f/d { if (-d %2$s/$arg_p) { return 200 "true"; } return 200 "false"; }
                location = /f/nd { if (!-d %2$s/$arg_p) { return 200 "true"; } return 200 "false"; }
                location = /f/e { if (-e %2$s/$arg_p) { return 200 "true"; } return 200 "false"; }
                location = /f/ne { if (!-e %2$s/$arg_p) { return 200 "true"; } return 200 "false"; }
                location = /f/x { if (-x %2$s/$arg_p) { return 200 "true"; } return 200 "false"; }
                location = /f/nx { if (!-x %2$s/$arg_p) { return 200 "true"; } return 200 "false"; }
            }
            """;

    static final String[] REQUESTS = {
        "/srv/a", "/srv/a?q=1", "/srvlast/b?q=2", "/target/x?srv=1", "/target/x",
        "/hidden/a", "/tohidden/a", "/srvbrk/b",
        "/flags/last/a?q=1", "/flags/break/a", "/flags/redirect/a?q=1", "/flags/permanent/a",
        "/flags/url/a?q=1", "/flags/urlq/a?q=1", "/flags/urlq/a", "/flags/drop/a?q=1", "/flags/newargs/a?q=1",
        "/flags/newargs/a", "/flags/newdrop/a?q=1", "/flags/empty/a", "/flags/empty/a?q=1", "/flags/other",
        "/chain/c?q=1", "/loop/x", "/esc/a%20b+c?z=1", "/esc/plain?z=1", "/escr/a%26b%2Fc%3Fd?z=1",
        "/escr/plain?z=1", "/escr/x+y",
        "/cap/abc/42?mode=loc", "/cap/abc/42?mode=mo", "/cap/abc/42?mode=mode", "/cap/abc/42?mode=zz",
        "/cap/abc/42?named=xyz-1", "/cap/abc/42", "/rcap/one/two?k=v",
        "/set/x?orig=1", "/never/",
        "/brk/", "/brk/?b=1", "/brk/?b=0", "/ps/", "/ps/?h=1", "/two/",
        "/t/truth?v=1", "/t/truth?v=0", "/t/truth?v=", "/t/truth", "/t/truth?v=00",
        "/t/eq?v=yes", "/t/eq?v=Yes", "/t/ne?v=yes", "/t/ne?v=no", "/t/ne",
        "/t/re?v=abbbc", "/t/re?v=ABC", "/t/rei?v=ABBC", "/t/rei?v=x", "/t/nre?v=abc", "/t/nre?v=x",
        "/t/nrei?v=ABC", "/t/nrei?v=x", "/t/spaced?v=a",
        "/f/f?p=file.txt", "/f/f?p=sub", "/f/f?p=none", "/f/f?p=link", "/f/f?p=broken",
        "/f/nf?p=file.txt", "/f/nf?p=sub", "/f/nf?p=none",
        "/f/d?p=sub", "/f/d?p=file.txt", "/f/d?p=none", "/f/nd?p=sub", "/f/nd?p=file.txt",
        "/f/e?p=file.txt", "/f/e?p=sub", "/f/e?p=none", "/f/e?p=link", "/f/e?p=broken", "/f/e?p=fifo",
        "/f/ne?p=file.txt", "/f/ne?p=none", "/f/ne?p=broken",
        "/f/x?p=exec.sh", "/f/x?p=file.txt", "/f/x?p=sub", "/f/x?p=none", "/f/nx?p=exec.sh", "/f/nx?p=file.txt",
        "/f/f?p=file.txt/x",
    };

    static SideBySide pair;
    static Path files;

    @BeforeAll
    static void start() throws Exception {
        files = Files.createTempDirectory("rewrite-files");
        Files.writeString(files.resolve("file.txt"), "x");
        Files.createDirectory(files.resolve("sub"));
        Path exec = Files.writeString(files.resolve("exec.sh"), "#!/bin/sh\n");
        Files.setPosixFilePermissions(exec, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.createSymbolicLink(files.resolve("link"), files.resolve("file.txt"));
        Files.createSymbolicLink(files.resolve("broken"), files.resolve("nowhere"));
        Process mkfifo = new ProcessBuilder("mkfifo", files.resolve("fifo").toString()).start();
        assertThat(mkfifo.waitFor()).as("mkfifo").isZero();
        pair = SideBySide.start(port -> SERVERS.formatted(port, files), CoreModules::create);
    }

    @AfterAll
    static void stop() throws Exception {
        if (pair != null) {
            pair.close();
        }
    }

    @Test
    void sameAnswersAsNginx() {
        List<String> diffs = new ArrayList<>();
        int ok = 0;
        for (String path : REQUESTS) {
            RawResponse expected = get(pair.nginxPort(), path);
            RawResponse actual = get(pair.gatewayPort(), path);
            ok += expected.code() == 200 ? 1 : 0;
            String e = describe(expected, pair.nginxPort());
            String a = describe(actual, pair.gatewayPort());
            if (!e.equals(a)) {
                diffs.add(path + "\n   nginx:   " + e + "\n   jwtgate: " + a);
            }
        }
        assertThat(ok).as("requests nginx answered with 200").isGreaterThan(60);
        assertThat(diffs).as("requests answered differently").isEmpty();
    }

    private static RawResponse get(int port, String path) {
        try (RawHttpClient c = RawHttpClient.connect(port)) {
            return c.send("GET " + path + " HTTP/1.1\r\nHost: example.com\r\nConnection: close\r\n\r\n")
                    .readResponse();
        }
    }

    /** Status, Location (port normalised), the marker headers and, for 2xx, the body. */
    private static String describe(RawResponse r, int port) {
        String location = r.header("Location");
        if (location != null) {
            location = location.replace(":" + port, ":PORT");
        }
        String body = r.code() < 300 ? r.bodyString() : "";
        return r.code() + " " + location + " X-V=" + r.header("X-V") + " X-If=" + r.header("X-If") + " X-Loc="
                + r.header("X-Loc") + " " + body;
    }
}
