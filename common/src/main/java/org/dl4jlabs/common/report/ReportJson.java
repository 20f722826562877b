package org.dl4jlabs.common.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.NumberDeserializers;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;

/** The one place that decides how a {@link RunReport} looks as JSON. */
final class ReportJson {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .addModule(nonFiniteNumbersAsNull())
            .build();

    private ReportJson() {
    }

    static String write(RunReport report) {
        try {
            return MAPPER.writeValueAsString(report);
        } catch (JsonProcessingException e) {
            // Only an app's own value in config or extra can get here: one Jackson cannot write.
            throw new UncheckedIOException("Cannot write the run report as JSON", e);
        }
    }

    static RunReport read(Path file) throws IOException {
        return MAPPER.readValue(file.toFile(), RunReport.class);
    }

    /**
     * Jackson would write NaN as the string "NaN", which makes a numeric column a mixed one for
     * whoever loads the file; JSON's own word for "no number" is null. Reading maps null back to
     * NaN for plain doubles, such as {@code test_accuracy} in the history of a regression run.
     */
    private static SimpleModule nonFiniteNumbersAsNull() {
        StdSerializer<Double> serializer = new StdSerializer<>(Double.class) {
            @Override
            public void serialize(Double value, JsonGenerator json, SerializerProvider provider) throws IOException {
                if (Double.isFinite(value)) {
                    json.writeNumber(value);
                } else {
                    json.writeNull();
                }
            }
        };
        return new SimpleModule("non-finite numbers as null")
                .addSerializer(Double.class, serializer)
                .addSerializer(Double.TYPE, serializer)
                .addDeserializer(Double.TYPE, new NumberDeserializers.DoubleDeserializer(Double.TYPE, Double.NaN));
    }
}
