package fr.logement.gateway.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.json.JsonMapper;
import fr.logement.gateway.ingress.RejectedException;

import java.io.IOException;

/**
 * The one strict JSON mapper of the gateway: duplicate keys, trailing content and scalar coercions are errors
 * (Jackson's defaults would let the last duplicate win and read "42" as 42), and default typing is never on.
 */
public final class Json {
    private static final ObjectMapper STRICT = build();

    private Json() {}

    private static ObjectMapper build() {
        JsonMapper m = JsonMapper.builder()
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                .build();
        m.coercionConfigDefaults().setCoercion(com.fasterxml.jackson.databind.cfg.CoercionInputShape.String, CoercionAction.Fail)
                .setCoercion(com.fasterxml.jackson.databind.cfg.CoercionInputShape.Float, CoercionAction.Fail);
        m.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(64)
                .maxStringLength(64 * 1024 * 1024)
                .maxNumberLength(40)
                .build());
        m.getFactory().disable(JsonParser.Feature.ALLOW_COMMENTS);
        return m;
    }

    public static ObjectMapper mapper() {
        return STRICT;
    }

    /** Parses a request body, refusing anything that is not one well-formed JSON document with 400. */
    public static JsonNode parse(byte[] body) {
        try {
            JsonNode node = STRICT.readTree(body);
            if (node == null || node.isMissingNode()) {
                throw new RejectedException(400, "malformed_json", "$", "the body is empty");
            }
            return node;
        } catch (IOException e) {
            // Jackson's message may quote the input: keep only the location.
            String where = e instanceof com.fasterxml.jackson.core.JsonProcessingException jpe && jpe.getLocation() != null
                    ? "line " + jpe.getLocation().getLineNr() + ", column " + jpe.getLocation().getColumnNr() : "unknown";
            String why = e.getMessage() != null && e.getMessage().contains("Duplicate field")
                    ? "duplicate key" : e.getMessage() != null && e.getMessage().contains("Trailing token")
                    ? "content after the JSON document" : e.getMessage() != null && e.getMessage().contains("nesting depth")
                    ? "nested too deeply" : "not well-formed JSON";
            throw new RejectedException(400, "malformed_json", "$", why + " (at " + where + ")");
        }
    }

    public static byte[] bytes(Object value) {
        try {
            return STRICT.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }
}
