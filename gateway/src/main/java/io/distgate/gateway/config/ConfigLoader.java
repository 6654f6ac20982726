package io.distgate.gateway.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Reads the YAML configuration into validated records (Jackson does the binding). Every error
 * is a {@link ConfigException} whose key is the full path, e.g. {@code sites[1].epmd_port};
 * only errors about the file as a whole (missing, empty, not YAML) have no key.
 */
public final class ConfigLoader {

    private static final PropertyNamingStrategies.NamingBase SNAKE =
            (PropertyNamingStrategies.NamingBase) PropertyNamingStrategies.SNAKE_CASE;

    /** Jackson's wording for a key written twice (JsonParser.Feature.STRICT_DUPLICATE_DETECTION). */
    private static final Pattern DUPLICATE_KEY = Pattern.compile("Duplicate field '(.*)'");

    private static final ObjectMapper MAPPER = new ObjectMapper(new YAMLFactory())
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            // 4369.5 is a mistake, not port 4369.
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            // A second "cookie:" in a site would otherwise silently win.
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .registerModule(new SimpleModule("distgate")
                    .addDeserializer(Duration.class, new JsonDeserializer<>() {
                        @Override
                        public Duration deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
                            return Durations.parse("", scalar(p, Duration.class));
                        }
                    })
                    .addDeserializer(HostPort.class, new JsonDeserializer<>() {
                        @Override
                        public HostPort deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
                            return HostPort.parse("", scalar(p, HostPort.class));
                        }
                    })
                    .addDeserializer(ByteSize.class, new JsonDeserializer<>() {
                        @Override
                        public ByteSize deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
                            return ByteSize.parse("", scalar(p, ByteSize.class));
                        }
                    }));

    private ConfigLoader() {
    }

    /** Reads, binds and checks {@code file}, including each site's cookie file. */
    public static GatewayConfig load(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException("", "configuration file " + file + " does not exist");
        } catch (IOException e) {
            throw new ConfigException("", "cannot read configuration file " + file + ": " + e.getMessage());
        }
        return parse(text);
    }

    /** Binds and checks a configuration given as YAML text, including each site's cookie file. */
    public static GatewayConfig parse(String yaml) {
        GatewayConfig config = bind(yaml);
        List<SiteConfig> sites = config.sites();
        for (int i = 0; i < sites.size(); i++) {
            if (sites.get(i).cookieFile() != null) {
                // Refuse a readable-by-others or unreadable cookie file now, not at the first handshake.
                CookieFile.read(sites.get(i).cookieFile(), "sites[" + i + "].cookie_file");
            }
        }
        return config;
    }

    private static GatewayConfig bind(String yaml) {
        try (JsonParser p = MAPPER.createParser(yaml)) {
            // Translated while the parser is open: the message names the value it stands on.
            try {
                JsonToken first = p.nextToken();
                if (first == null || first == JsonToken.VALUE_NULL) {
                    throw new ConfigException("", "the configuration is empty");
                }
                if (first != JsonToken.START_OBJECT) {
                    throw new ConfigException("", "expected " + describe(GatewayConfig.class) + " at the top, got " + found(p));
                }
                return MAPPER.readValue(p, GatewayConfig.class);
            } catch (JsonMappingException e) {
                ConfigException unknown = e.getCause() instanceof ConfigException ? unknownKey(yaml) : null;
                throw unknown != null ? unknown : translate(e);
            } catch (JsonProcessingException e) {
                throw syntax("", e);
            }
        } catch (IOException e) {
            throw new ConfigException("", "cannot read the configuration: " + e.getMessage());
        }
    }

    private static ConfigException translate(JsonMappingException e) {
        String path = path(e);
        Throwable cause = e.getCause();
        if (cause instanceof ConfigException c) {
            // A record rejected its values: Jackson's path ends at that record.
            return c.key().isEmpty() ? new ConfigException(path, c.problem()) : c.under(path);
        }
        if (cause instanceof InputCoercionException c) {
            return new ConfigException(path, "expected " + describe(c.getTargetType()) + ", got " + found(c) + ", which is too large");
        }
        if (cause instanceof JsonProcessingException p) {
            return syntax(path, p);
        }
        if (e instanceof UnrecognizedPropertyException u) {
            return new ConfigException(path, "unknown key (known here: " + sorted(u.getKnownPropertyIds()) + ")");
        }
        if (e instanceof InvalidFormatException f) {
            String value = f.getValue() instanceof String s ? "'" + s + "'" : String.valueOf(f.getValue());
            return new ConfigException(path, "expected " + describe(f.getTargetType()) + ", got " + value);
        }
        if (e instanceof MismatchedInputException m && m.getTargetType() != null) {
            return new ConfigException(path, "expected " + describe(m.getTargetType()) + ", got " + found(m));
        }
        return new ConfigException(path, e.getOriginalMessage());
    }

    /**
     * Jackson reports unknown keys of a record only after its constructor ran, so a misspelled
     * required key ({@code cokie}) would surface as "missing cookie". When a record refused its
     * values, look for an unknown key first and report that instead.
     */
    private static ConfigException unknownKey(String yaml) {
        try {
            return unknownKey(MAPPER.readTree(yaml), GatewayConfig.class, "");
        } catch (IOException e) {
            return null; // the bind error stands
        }
    }

    private static ConfigException unknownKey(JsonNode node, Class<?> type, String path) {
        if (node == null || !type.isRecord() || !node.isObject()) {
            return null;
        }
        Map<String, RecordComponent> known = new TreeMap<>();
        for (RecordComponent c : type.getRecordComponents()) {
            known.put(SNAKE.translate(c.getName()), c);
        }
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            String key = path.isEmpty() ? entry.getKey() : path + "." + entry.getKey();
            RecordComponent c = known.get(entry.getKey());
            if (c == null) {
                return new ConfigException(key, "unknown key (known here: " + known.keySet() + ")");
            }
            ConfigException inner = null;
            if (c.getType() == List.class && entry.getValue().isArray()
                    && c.getGenericType() instanceof ParameterizedType list
                    && list.getActualTypeArguments()[0] instanceof Class<?> element) {
                for (int i = 0; i < entry.getValue().size() && inner == null; i++) {
                    inner = unknownKey(entry.getValue().get(i), element, key + "[" + i + "]");
                }
            } else {
                inner = unknownKey(entry.getValue(), c.getType(), key);
            }
            if (inner != null) {
                return inner;
            }
        }
        return null;
    }

    /** A parser error: a key written twice in one section (at {@code path}), or text that is not YAML. */
    private static ConfigException syntax(String path, JsonProcessingException e) {
        Matcher duplicate = DUPLICATE_KEY.matcher(e.getOriginalMessage());
        if (duplicate.matches()) {
            String key = path.isEmpty() ? duplicate.group(1) : path + "." + duplicate.group(1);
            return new ConfigException(key, "set twice" + line(e) + "; keep one");
        }
        return notYaml(e);
    }

    /** "not valid YAML at line 3, column 4: found character '\t(TAB)' ...", from SnakeYAML's marks when it has them. */
    private static ConfigException notYaml(JsonProcessingException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof MarkedYAMLException y && y.getProblemMark() != null) {
                String context = y.getContext() == null ? "" : " (" + y.getContext() + ")";
                return new ConfigException("", "not valid YAML at line " + (y.getProblemMark().getLine() + 1)
                        + ", column " + (y.getProblemMark().getColumn() + 1) + ": " + y.getProblem() + context);
            }
        }
        return new ConfigException("", "not valid YAML" + line(e) + ": " + e.getOriginalMessage().lines().findFirst().orElse(""));
    }

    private static String line(JsonProcessingException e) {
        return e.getLocation() == null || e.getLocation().getLineNr() < 1 ? "" : " (line " + e.getLocation().getLineNr() + ")";
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

    /** The text of a scalar; a list or a section where a single value belongs is refused by name. */
    private static String scalar(JsonParser p, Class<?> target) {
        if (!p.currentToken().isScalarValue()) {
            throw new ConfigException("", "expected " + describe(target) + ", got " + found(p));
        }
        try {
            return p.getValueAsString();
        } catch (IOException e) {
            throw new ConfigException("", "expected " + describe(target) + ": " + e.getMessage());
        }
    }

    private static String sorted(Collection<Object> ids) {
        return ids.stream().map(String::valueOf).sorted().toList().toString();
    }

    private static String describe(Class<?> type) {
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "a whole number";
        }
        if (List.class.isAssignableFrom(type)) {
            return "a list";
        }
        if (type == String.class) {
            return "a string";
        }
        if (type == Path.class) {
            return "a file path";
        }
        if (type == Duration.class) {
            return "a duration such as 500ms, 7s, 10m, 1h";
        }
        if (type == HostPort.class) {
            return "host:port";
        }
        if (type == ByteSize.class) {
            return "a size such as 65536, 64KiB, 4MiB";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type.isRecord()) {
            return "a section with keys " + Arrays.stream(type.getRecordComponents())
                    .map(RecordComponent::getName).map(SNAKE::translate).sorted().toList();
        }
        return "a " + type.getSimpleName();
    }

    /** What the parser stands on after a mismatch, in the file's own terms. */
    private static String found(JsonProcessingException e) {
        return e.getProcessor() instanceof JsonParser p ? found(p) : "something else";
    }

    private static String found(JsonParser p) {
        JsonToken token = p.currentToken();
        if (token == null) {
            return "nothing";
        }
        try {
            return switch (token) {
                case START_ARRAY -> "a list";
                case START_OBJECT, FIELD_NAME -> "a section";
                case VALUE_STRING -> "'" + p.getText() + "'";
                case VALUE_NULL -> "nothing";
                default -> p.getText();
            };
        } catch (IOException e) {
            return "something else";
        }
    }
}
