package org.dl4jlabs.common.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import org.dl4jlabs.common.LabsException;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * An app's options as typed records, written into a report and a model file by Jackson:
 * each component under its name in snake_case ({@code learningRate} as {@code learning_rate}), enums
 * in lower case, as a user types them; components that are null are left out.
 */
public final class Settings {

    @SuppressWarnings({"rawtypes", "unchecked"})
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .addModule(new SimpleModule().addSerializer(Enum.class, new StdSerializer<Enum>(Enum.class) {
                @Override
                public void serialize(Enum value, JsonGenerator out, SerializerProvider provider) throws IOException {
                    out.writeString(value.name().toLowerCase(Locale.ROOT));
                }
            }))
            .build();

    private Settings() {
    }

    /**
     * The records' components in declaration order, one record after another, as a report's
     * {@code config} shows them.
     */
    public static Map<String, Object> toMap(Record... parts) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (Record part : parts) {
            map.putAll(MAPPER.convertValue(part, new TypeReference<LinkedHashMap<String, Object>>() {
            }));
        }
        return map;
    }

    /**
     * Reads settings written by {@link #toMap} back into their record, e.g. from a saved model's
     * config. Keys the record does not have are ignored (a model saved by an older version).
     *
     * @throws LabsException when a value is missing or has the wrong type, naming {@code source}
     */
    public static <R extends Record> R fromMap(Map<String, Object> map, Class<R> type, String source) {
        try {
            return MAPPER.convertValue(map, type);
        } catch (IllegalArgumentException e) {
            throw new LabsException(source + " has settings this version cannot read: "
                    + e.getMessage().lines().findFirst().orElse(""), e);
        }
    }
}
