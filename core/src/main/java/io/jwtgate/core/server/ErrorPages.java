package io.jwtgate.core.server;

import io.jwtgate.core.http.Response;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/** The default HTML pages for error statuses, encoded once per status, in nginx's layout. */
final class ErrorPages {

    private static final ConcurrentHashMap<Integer, Response> PAGES = new ConcurrentHashMap<>();

    private ErrorPages() {
    }

    static Response page(int status) {
        return PAGES.computeIfAbsent(status, ErrorPages::render);
    }

    private static Response render(int status) {
        if (status < 300 || status == 304 || status == 204) {
            return new Response(null, new byte[0], List.of());
        }
        String line = status + " " + HttpResponseStatus.valueOf(status).reasonPhrase();
        String html = "<html>\r\n<head><title>" + line + "</title></head>\r\n<body>\r\n<center><h1>" + line
                + "</h1></center>\r\n<hr><center>jwtgate</center>\r\n</body>\r\n</html>\r\n";
        return Response.of("text/html", html);
    }
}
