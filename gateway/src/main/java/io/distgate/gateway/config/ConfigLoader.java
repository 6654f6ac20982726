package io.distgate.gateway.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Reads the YAML configuration into validated records (Jackson does the binding). Every error
 * is a {@link ConfigException} whose key is the full path, e.g. {@code sites[1].epmd_port}.
 */
public final class ConfigLoader {

    private static final ObjectMapper MAPPER = new ObjectMapper(new YAMLFactory())
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .registerModule(new SimpleModule("distgate")
                    .addDeserializer(Duration.class, new JsonDeserializer<>() {
                        @Override
                        public Duration deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
                            return Durations.parse("", p.getValueAsString());
                        }
                    })
                    .addDeserializer(HostPort.class, new JsonDeserializer<>() {
                        @Override
                        public HostPort deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
                            return HostPort.parse("", p.getValueAsString());
                        }
                    }));

    private ConfigLoader() {
    }

    public static GatewayConfig load(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException("", "configuration file " + file + " does not exist");
        } catch (IOException e) {
            throw new ConfigException("", "cannot read " + file + ": " + e.getMessage());
        }
        return parse(text);
    }

    public static GatewayConfig parse(String yaml) {
        try {
            GatewayConfig config = MAPPER.readValue(yaml, GatewayConfig.class);
            if (config == null) {
                throw new ConfigException("", "the configuration is empty");
            }
            return config;
        } catch (JsonMappingException e) {
            throw translate(e);
        } catch (JsonProcessingException e) {
            throw new ConfigException("", "not valid YAML: " + e.getOriginalMessage());
        }
    }

    private static ConfigException translate(JsonMappingException e) {
        String path = path(e);
        Throwable cause = e.getCause();
        if (cause instanceof ConfigException c) {
            // A record rejected its values: Jackson's path ends at that record.
            return c.key().isEmpty() ? new ConfigException(path, c.problem()) : c.under(path);
        }
        if (e instanceof UnrecognizedPropertyException u) {
            return new ConfigException(path, "unknown key (known here: " + snake(u.getKnownPropertyIds()) + ")");
        }
        if (e instanceof InvalidFormatException f) {
            return new ConfigException(path, "'" + f.getValue() + "' is not a valid " + f.getTargetType().getSimpleName());
        }
        if (e instanceof MismatchedInputException m && m.getTargetType() != null) {
            return new ConfigException(path, "expected " + describe(m.getTargetType()));
        }
        return new ConfigException(path, e.getOriginalMessage());
    }

    private static String path(JsonMappingException e) {
        StringBuilder out = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getIndex() >= 0) {
                out.append('[').append(ref.getIndex()).append(']');
            } else if (ref.getFieldName() != null) {
                if (out.length() > 0) {
                    out.append('.');
                }
                out.append(ref.getFieldName());
            }
        }
        return out.toString();
    }

    private static String snake(java.util.Collection<Object> ids) {
        return ids.stream().map(String::valueOf).sorted().toList().toString();
    }

    private static String describe(Class<?> type) {
        if (type == Integer.class || type == int.class) {
            return "a whole number";
        }
        if (java.util.List.class.isAssignableFrom(type)) {
            return "a list";
        }
        if (type == String.class) {
            return "a string";
        }
        return "a " + type.getSimpleName().replace("Config", "") + " section";
    }
}
