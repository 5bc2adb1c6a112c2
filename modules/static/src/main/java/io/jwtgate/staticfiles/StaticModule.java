package io.jwtgate.staticfiles;

import io.jwtgate.core.conf.Arity;
import io.jwtgate.core.conf.ConfDirective;
import io.jwtgate.core.conf.ConfException;
import io.jwtgate.core.conf.ConfValues;
import io.jwtgate.core.conf.Context;
import io.jwtgate.core.http.ContentOrigin;
import io.jwtgate.core.http.HttpExchange;
import io.jwtgate.core.http.LocSlot;
import io.jwtgate.core.http.LocationConf;
import io.jwtgate.core.http.MainSlot;
import io.jwtgate.core.http.Phase;
import io.jwtgate.core.http.RequestSlot;
import io.jwtgate.core.module.ConfContext;
import io.jwtgate.core.module.Directive;
import io.jwtgate.core.module.HttpInit;
import io.jwtgate.core.module.HttpModule;
import io.jwtgate.core.module.Setters;
import io.jwtgate.core.var.ComplexValue;
import io.jwtgate.core.var.Variables;
import io.jwtgate.gzip.GzipModule;
import java.io.IOException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;

/**
 * Static content, nginx's static, index and try_files modules with the core's {@code root}, {@code alias},
 * {@code types}, {@code default_type} and file directives (docs/static.md). Its content handler serves every
 * location that no other module answers (registered last, as nginx's static module is the last content handler),
 * its precontent handler runs {@code try_files}.
 */
public final class StaticModule extends HttpModule {

    /** Per configuration: the default {@code root html}, relative to the configuration's directory. */
    static final class Main {
        DocRoot defaultRoot;
    }

    final LocSlot<StaticConf.Draft, StaticConf> conf = locSlot(LocSlot.of(StaticConf.Draft::new,
            StaticConf::merge));

    /** {@code try_files}, which nginx does not pass down from a server to its locations. */
    final LocSlot<TryFiles.Draft, TryFiles> tryFiles = locSlot(LocSlot.mergedAtEveryLevel(TryFiles.Draft::new,
            (parent, d) -> d.value));

    final MainSlot<Main> main = mainSlot(MainSlot.of(Main::new));

    /** nginx's {@code r->add_uri_to_alias}: {@code try_files} found {@code $uri} under an alias of a regex location. */
    final RequestSlot<Boolean> addUriToAlias = requestSlot();

    /** {@code gzip_static}'s side: whether to look for a {@code .gz} beside a file (docs/gzip.md#gzip_static). */
    final GzipModule gzip;

    public StaticModule(GzipModule gzip) {
        super("static");
        this.gzip = gzip;
    }

    @Override
    public List<Directive> directives() {
        Set<Context> hsl = Directive.httpServerLocation();
        return List.of(
                Directive.of("root", Directive.httpServerLocationIf(), Arity.TAKE1, this::root),
                Directive.of("alias", EnumSet.of(Context.LOCATION), Arity.TAKE1, this::root),
                Directive.of("index", hsl, Arity.ONE_OR_MORE, this::index),
                Directive.of("try_files", EnumSet.of(Context.SERVER, Context.LOCATION), Arity.TWO_OR_MORE,
                        (cx, d) -> TryFiles.read(cx, d, cx.loc(tryFiles))),
                Directive.of("default_type", hsl, Arity.TAKE1, (cx, d) -> {
                    StaticConf.Draft draft = cx.loc(conf);
                    Setters.checkUnset(d, draft.defaultType);
                    draft.defaultType = d.arg(0);
                }),
                Directive.block("types", hsl, Arity.NONE, this::types),
                Directive.of("etag", hsl, Arity.TAKE1, Setters.flag(conf, c -> c.etag, (c, v) -> c.etag = v)),
                Directive.of("sendfile", Directive.httpServerLocationIf(), Arity.TAKE1,
                        Setters.flag(conf, c -> c.sendfile, (c, v) -> c.sendfile = v)),
                Directive.of("log_not_found", hsl, Arity.TAKE1,
                        Setters.flag(conf, c -> c.logNotFound, (c, v) -> c.logNotFound = v)),
                Directive.of("autoindex", hsl, Arity.TAKE1, (cx, d) -> onlyOff(d,
                        "directory listings are not supported: a directory without an index file is answered 403")),
                Directive.of("disable_symlinks", hsl, Arity.TAKE12, (cx, d) -> onlyOff(d,
                        "only \"off\" is supported: symbolic links are followed (docs/static.md#symbolic-links)")));
    }

    /** A directive jwtgate accepts only with nginx's default {@code off}; anything else is refused, saying why. */
    private static void onlyOff(ConfDirective d, String why) throws ConfException {
        if (d.args().size() != 1 || !d.arg(0).equals("off")) {
            Boolean flag = d.args().size() == 1 ? ConfValues.flag(d.arg(0)) : null;
            if (flag == null && d.name().equals("autoindex")) {
                throw d.error("invalid value \"%s\" in \"%s\" directive, it must be \"on\" or \"off\"", d.arg(0),
                        d.name());
            }
            throw d.error("\"%s %s\" is not supported by jwtgate: %s", d.name(), String.join(" ", d.args()), why);
        }
    }

    /** {@code root} and {@code alias}, nginx's {@code ngx_http_core_root}. */
    private void root(ConfContext cx, ConfDirective d) throws ConfException {
        boolean alias = d.name().equals("alias");
        StaticConf.Draft draft = cx.loc(conf);
        if (draft.root != null) {
            if (draft.root.alias() == alias) {
                throw d.error("\"%s\" directive is duplicate", d.name());
            }
            throw d.error("\"%s\" directive is duplicate, \"%s\" directive was specified earlier", d.name(),
                    draft.root.alias() ? "alias" : "root");
        }
        String pattern = alias ? cx.location().pattern() : null;
        if (alias && pattern.startsWith("@")) {
            throw d.error("the \"alias\" directive cannot be used inside the named location");
        }
        String value = d.arg(0);
        for (String variable : new String[] {"document_root", "realpath_root"}) {
            if (value.contains("$" + variable) || value.contains("${" + variable + "}")) {
                throw d.error("the $%s variable cannot be used in the \"%s\" directive", variable, d.name());
            }
        }
        if (!alias && value.length() > 1 && value.endsWith("/")) {
            value = value.substring(0, value.length() - 1);
        }
        ComplexValue compiled = cx.compile(d, value);
        if (compiled.isConstant() && !value.startsWith("/")) {
            compiled = ComplexValue.constant(cx.resolvePath(value).toString());
        }
        int aliasLength = !alias ? 0 : cx.location().regex() ? DocRoot.WHOLE : pattern.length();
        draft.root = new DocRoot(compiled, alias, aliasLength, cx.resolvePath("."));
    }

    private void index(ConfContext cx, ConfDirective d) throws ConfException {
        StaticConf.Draft draft = cx.loc(conf);
        if (draft.index == null) {
            draft.index = new ArrayList<>();
        }
        for (String name : d.args()) {
            if (name.isEmpty()) {
                throw d.error("index \"%s\" in \"index\" directive is invalid", name);
            }
            draft.index.add(cx.compile(d, name));
        }
    }

    /** {@code types { type ext...; }}: a later extension replaces an earlier one, with nginx's warning. */
    private void types(ConfContext cx, ConfDirective d) throws ConfException {
        StaticConf.Draft draft = cx.loc(conf);
        if (draft.types == null) {
            draft.types = new LinkedHashMap<>();
        }
        for (ConfDirective line : d.block()) {
            if (line.isBlock()) {
                throw line.error("unexpected \"{\"");
            }
            for (String ext : line.args()) {
                String key = ConfValues.lower(ext);
                String old = draft.types.put(key, line.name());
                if (old != null) {
                    cx.warn(line, "duplicate extension \"" + key + "\", content type: \"" + line.name()
                            + "\", previous content type: \"" + old + "\"");
                }
            }
        }
    }

    @Override
    public void preconfiguration(Variables variables) {
        int flags = Variables.NOCACHE;
        variables.define("document_root", (x, data) -> documentRoot(x), null, flags);
        variables.define("realpath_root", (x, data) -> realpathRoot(x), null, flags);
        variables.define("request_filename", (x, data) -> fileName(x, x.conf(conf), x.uri()), null, flags);
    }

    @Override
    public void postconfiguration(HttpInit init) {
        init.main(main).defaultRoot = new DocRoot(ComplexValue.constant(init.resolvePath("html").toString()), false,
                0, init.resolvePath("."));
        init.addHandler(Phase.PRECONTENT, new TryFilesHandler(this));
        init.addHandler(Phase.CONTENT, new StaticHandler(this));
        init.setContentTypes(x -> x.location().get(conf).contentType(x.uri()));
    }

    @Override
    public ContentOrigin contentOrigin(LocationConf location) {
        return ContentOrigin.LOCAL;
    }

    // ---- file names

    DocRoot root(HttpExchange x, StaticConf c) {
        return c.root() != null ? c.root() : x.main(main).defaultRoot;
    }

    /** The file {@code uri} maps to in this request's location: {@code $request_filename}. */
    String fileName(HttpExchange x, StaticConf c, String uri) {
        DocRoot root = root(x, c);
        if (root.alias() && root.aliasLength() == DocRoot.WHOLE && Boolean.TRUE.equals(x.get(addUriToAlias))) {
            return root.documentRoot(x) + uri;
        }
        return root.fileName(x, uri);
    }

    private String documentRoot(HttpExchange x) {
        return root(x, x.conf(conf)).documentRoot(x);
    }

    /** {@code $realpath_root}: the document root with every symbolic link resolved, or nothing when it fails. */
    private String realpathRoot(HttpExchange x) {
        try {
            return Path.of(documentRoot(x)).toRealPath().toString();
        } catch (IOException | InvalidPathException e) {
            return null;
        }
    }
}
