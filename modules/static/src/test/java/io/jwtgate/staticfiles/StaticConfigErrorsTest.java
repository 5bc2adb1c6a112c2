package io.jwtgate.staticfiles;

import static org.assertj.core.api.Assertions.assertThat;

import io.jwtgate.testing.NginxConfigCheck;
import io.jwtgate.testing.TestGateway;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Mistakes in the static directives refused as {@code nginx -t} refuses them (same reason, same line), valid
 * configurations accepted alike (with nginx's warnings), and the values jwtgate does not support refused with a
 * message that says so.
 */
class StaticConfigErrorsTest {

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', value = {
        "location| root /a;\\nroot /b;",
        "location| root /a;\\nalias /b;",
        "location| alias /a;\\nroot /b;",
        "location| alias /a;\\nalias /b;",
        "server| alias /a;",
        "location| root $document_root/x;",
        "location| alias ${realpath_root}/x;",
        "location| index;",
        "location| try_files $uri;",
        "location| try_files $uri =abc;",
        "location| try_files $uri =1000;",
        "location| try_files $uri =;",
        "location| try_files a b;\\ntry_files c d;",
        "http| try_files a b;",
        "location| default_type a b;",
        "location| default_type a;\\ndefault_type b;",
        "location| etag maybe;",
        "location| etag on;\\netag off;",
        "location| if_modified_since sometimes;",
        "location| max_ranges -1;",
        "location| max_ranges x;",
        "location| sendfile yes;",
        "location| log_not_found 1;",
        "location| types text/plain;",
        "location| autoindex maybe;",
        "location| types { text/html html { } }",
    })
    void sameErrorAsNginx(String level, String directives) throws Exception {
        NginxConfigCheck.assertSameError(dir, conf(level, directives.replace("\\n", "\n")), StaticSite.MODULES);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "root html/;\\nindex a.html $arg_x /fallback.html;\\ndefault_type \"\";\\netag off;\\nif_modified_since before;"
            + "\\nmax_ranges 0;\\nsendfile on;\\nlog_not_found off;\\nautoindex off;\\ndisable_symlinks off;",
        "types { text/html html; application/x-a html A; }\\ntypes { text/x-b b; }",
        "expires modified 1h;\\naio threads;\\ndirectio 4m;\\noutput_buffers 2 32k;\\nread_ahead 0;"
            + "\\nsendfile_max_chunk 512k;",
    })
    void acceptedAsByNginx(String directives) throws Exception {
        NginxConfigCheck.assertAcceptedAlike(dir, conf("http", directives.replace("\\n", "\n")), StaticSite.MODULES);
    }

    @Test
    void unsupportedValuesAreRefusedSayingSo() throws Exception {
        assertThat(TestGateway.configError(dir, conf("location", "autoindex on;"), StaticSite.MODULES).getMessage())
                .startsWith("\"autoindex on\" is not supported by jwtgate: directory listings are not supported");
        assertThat(TestGateway.configError(dir, conf("server", "disable_symlinks if_not_owner from=$document_root;"),
                StaticSite.MODULES).getMessage()).startsWith("\"disable_symlinks if_not_owner from=$document_root\" "
                + "is not supported by jwtgate: only \"off\" is supported");
        assertThat(TestGateway.configError(dir, "events { }\nhttp { server { location @n { alias /x; } } }\n",
                StaticSite.MODULES).getMessage())
                .startsWith("the \"alias\" directive cannot be used inside the named location");
    }

    /** The directives at the given level, on lines of their own so that lines tell levels apart. */
    private static String conf(String level, String directives) {
        String at = directives + "\n";
        return "events { }\nhttp {\n" + (level.equals("http") ? at : "") + "server {\nlisten 127.0.0.1:1;\n"
                + (level.equals("server") ? at : "") + "location / {\n" + (level.equals("location") ? at : "")
                + "}\n}\n}\n";
    }
}
