package io.jwtgate.jose;

/**
 * {@link JwtValidator} over a {@link ValidationPipeline} with fixed keys and constant rules: the order of
 * docs/jwt.md#validation-order is the pipeline's, the same the gateway runs.
 */
final class DefaultJwtValidator implements JwtValidator {

    private final ValidationPipeline<Void> pipeline;

    DefaultJwtValidator(ValidationPipeline<Void> pipeline) {
        this.pipeline = pipeline;
    }

    @Override
    public Validation validate(CharSequence token) {
        JwsResult parsed = pipeline.decode(token);
        if (!parsed.isOk()) {
            return Validation.rejected(null, parsed.reason());
        }
        Jws jws = parsed.jws();
        Reason r = pipeline.check(null, jws);
        return r == null ? Validation.valid(jws) : Validation.rejected(jws, r);
    }
}
