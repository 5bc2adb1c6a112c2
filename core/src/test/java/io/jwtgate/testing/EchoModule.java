package io.jwtgate.testing;

import io.jwtgate.core.codec.WireText;
import io.jwtgate.core.conf.Arity;
import io.jwtgate.core.conf.Context;
import io.jwtgate.core.http.HttpExchange;
import io.jwtgate.core.http.LocSlot;
import io.jwtgate.core.http.Phase;
import io.jwtgate.core.http.PhaseHandler;
import io.jwtgate.core.http.Response;
import io.jwtgate.core.module.Directive;
import io.jwtgate.core.module.HttpInit;
import io.jwtgate.core.module.HttpModule;
import io.jwtgate.core.var.ComplexValue;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;

/**
 * A content handler for tests, as OpenResty's {@code echo}: {@code echo text;} answers 200 with the text (variables
 * interpolated) as {@code text/plain}, in the content phase, after the access checks. Tests of access modules answer
 * with it where the answer must come after the check and read what the check set ({@code $jwt_claim_*}): nginx's
 * {@code return} answers in the rewrite phase, before any check. Not inherited by nested locations.
 */
public final class EchoModule extends HttpModule {

    static final class Draft {
        ComplexValue text;
    }

    private final LocSlot<Draft, ComplexValue> conf = locSlot(LocSlot.mergedAtEveryLevel(Draft::new,
            (parent, d) -> d.text));

    public EchoModule() {
        super("echo");
    }

    @Override
    public List<Directive> directives() {
        return List.of(Directive.of("echo", EnumSet.of(Context.LOCATION, Context.IF_LOCATION), Arity.TAKE1,
                (cx, d) -> cx.loc(conf).text = cx.compile(d, d.arg(0))));
    }

    @Override
    public void postconfiguration(HttpInit init) {
        init.addHandler(Phase.CONTENT, this::handle);
    }

    private int handle(HttpExchange x) {
        ComplexValue text = x.conf(conf);
        if (text == null) {
            return PhaseHandler.DECLINED;
        }
        byte[] body = WireText.encode(text.evaluate(x)).getBytes(StandardCharsets.ISO_8859_1);
        x.sendResponse(200, new Response("text/plain", body, List.of()));
        return PhaseHandler.OK;
    }
}
