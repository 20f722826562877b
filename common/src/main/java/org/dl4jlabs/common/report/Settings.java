package org.dl4jlabs.common.report;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * An app's options as typed records, written into a report and a model file by Jackson:
 * each component under its name in snake_case ({@code learningRate} as {@code learning_rate}), enums
 * in lower case, as a user types them.
 */
public final class Settings {

    @SuppressWarnings({"rawtypes", "unchecked"})
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
            .addModule(new SimpleModule().addSerializer(Enum.class, new StdSerializer<Enum>(Enum.class) {
                @Override
                public void serialize(Enum value, JsonGenerator out, SerializerProvider provider) throws IOException {
                    out.writeString(value.name().toLowerCase(Locale.ROOT));
                }
            }))
            .build();

    private Settings() {
    }

    /** The record's components in declaration order, as a report's {@code config} shows them. */
    public static Map<String, Object> toMap(Record settings) {
        return MAPPER.convertValue(settings, new TypeReference<LinkedHashMap<String, Object>>() {
        });
    }
}
