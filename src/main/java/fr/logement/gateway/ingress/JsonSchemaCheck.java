package fr.logement.gateway.ingress;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * One JSON Schema of schemas/ (draft 2020-12, formats asserted), whose violations come out as problems: field path
 * ({@code candidates[0].rank}, {@code $} for the root) and reason, never the offending value.
 */
public final class JsonSchemaCheck {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final JsonSchema schema;

    public JsonSchemaCheck(Path schemaFile) {
        try {
            JsonNode schemaNode = JSON.readTree(schemaFile.toFile());
            SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true)
                    .pathType(PathType.JSON_PATH).build();
            this.schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(schemaNode, config);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the schema " + schemaFile, e);
        }
    }

    public List<Problem> problems(JsonNode document) {
        TreeSet<String> seen = new TreeSet<>();
        List<Problem> problems = new ArrayList<>();
        for (ValidationMessage m : schema.validate(document)) {
            String path = path(m.getInstanceLocation().toString());
            String reason = m.getMessage();
            int colon = reason.indexOf(": ");
            if (colon >= 0 && reason.startsWith("$")) reason = reason.substring(colon + 2);
            // A validator message may quote the offending value, which may be personal data: never echo it.
            JsonNode value = m.getInstanceNode();
            if (value != null && value.isValueNode() && !value.asText().isEmpty() && reason.contains(value.asText())) {
                reason = reason.replace(value.asText(), "…");
            }
            if (seen.add(path + "|" + reason)) problems.add(new Problem(path, reason));
        }
        return problems;
    }

    /** {@code $.candidates[0].identity} → {@code candidates[0].identity}; the root is {@code $}. */
    static String path(String location) {
        if (location == null || location.equals("$")) return "$";
        return location.startsWith("$.") ? location.substring(2) : location;
    }
}
