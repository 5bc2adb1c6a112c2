package io.jwtgate.core.config;

import io.jwtgate.core.builtin.CoreModules;
import io.jwtgate.testing.NginxConfigCheck;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code access_log}'s {@code buffer=}, {@code flush=}, {@code gzip} and {@code syslog:} parameters, and
 * {@code error_log syslog:}: what nginx accepts is accepted, what it refuses is refused with its words at its line.
 */
class AccessLogConfigDifferentialTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {
        "access_log a.log combined buffer=0;",
        "access_log a.log combined buffer=1x;",
        "access_log a.log combined flush=1s;",
        "access_log a.log combined buffer=1k flush=0;",
        "access_log a.log combined buffer=1k flush=x;",
        "access_log a.log combined gzip=10;",
        "access_log a.log combined gzip=0;",
        "access_log a.log combined gzipx;",
        "access_log a.log combined bogus;",
        "access_log a.log if=$arg_x;",
        "access_log a.log nosuch;",
        "access_log a.log combined buffer=1k;\naccess_log a.log combined buffer=2k;",
        "access_log a.log combined buffer=1k;\naccess_log a.log combined buffer=1k gzip;",
        "access_log syslog:server=127.0.0.1 combined buffer=1k;",
        "access_log syslog:facility=local0;",
        "access_log syslog:server=127.0.0.1,facility=bogus;",
        "access_log syslog:server=127.0.0.1,severity=err;",
        "access_log syslog:server=127.0.0.1,tag=a-b;",
        "access_log syslog:server=127.0.0.1,tag=abcdefghijklmnopqrstuvwxyz0123456;",
        "access_log syslog:server=127.0.0.1,server=127.0.0.1;",
        "access_log syslog:server=127.0.0.1,facility=local0,facility=local1;",
        "access_log syslog:server=127.0.0.1,bogus;",
        "access_log syslog:server=127.0.0.1,nohostname nosuch;",
    })
    void refusedAsByNginx(String directives) throws Exception {
        NginxConfigCheck.assertSameError(dir, "events { }\nhttp {\n" + directives + "\n}\n", CoreModules::create);
    }

    @Test
    void errorLogSyslogRefusedAsByNginx() throws Exception {
        NginxConfigCheck.assertSameError(dir, "error_log syslog:server=127.0.0.1,severity=x;\nevents { }\n",
                CoreModules::create);
    }

    @Test
    void acceptedAsByNginx() throws Exception {
        NginxConfigCheck.assertAcceptedAlike(dir, """
                error_log syslog:server=127.0.0.1:5514,facility=local0,tag=gw warn;
                events { }
                http {
                    log_format Main '$status';
                    access_log a.log main buffer=32k flush=5s gzip=4 if=$arg_x;
                    access_log a.log;
                    access_log b.log combined gzip;
                    access_log syslog:server=127.0.0.1:5514,facility=local0,severity=notice,tag=gw,nohostname;
                    access_log syslog:server=localhost combined if=$arg_y;
                    open_log_file_cache max=10;
                }
                """, CoreModules::create);
    }
}
