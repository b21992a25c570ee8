package io.ncp.onos.planner.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.ncp.onos.planner.SpecException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;

/** Reads a JSON or YAML file (by extension: {@code .yaml}/{@code .yml} = YAML, anything else JSON). */
public final class JsonFiles {

    private JsonFiles() {
    }

    /**
     * The document in {@code file}.
     *
     * @throws SpecException (field = the file name) when it cannot be read or parsed
     */
    public static JsonNode read(Path file) {
        String name = file.getFileName() == null ? file.toString() : file.getFileName().toString();
        boolean yaml = name.toLowerCase(Locale.ROOT).endsWith(".yaml") || name.toLowerCase(Locale.ROOT)
                .endsWith(".yml");
        ObjectMapper mapper = yaml ? new ObjectMapper(new YAMLFactory()) : new ObjectMapper();
        try {
            JsonNode node = mapper.readTree(Files.readAllBytes(file));
            if (node == null || node.isMissingNode()) {
                throw new SpecException(file.toString(), "is empty");
            }
            return node;
        } catch (NoSuchFileException e) {
            throw new SpecException(file.toString(), "no such file");
        } catch (JsonProcessingException e) {
            throw new SpecException(file.toString(), "not valid " + (yaml ? "YAML" : "JSON") + ": "
                    + e.getOriginalMessage());
        } catch (IOException e) {
            throw new SpecException(file.toString(), "cannot read: " + e);
        }
    }
}
