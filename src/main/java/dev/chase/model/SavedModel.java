package dev.chase.model;

import ai.djl.ndarray.NDManager;
import dev.chase.ChaseException;
import dev.chase.io.AtomicFiles;
import dev.chase.io.BlockParameters;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A trained network on disk: {@code netspec.json} (the architecture as data) and
 * {@code parameters.bin} (DJL's parameter stream). Loading builds the network from the spec and
 * fills it, so any saved network, narrow or not, loads again.
 */
public final class SavedModel {
    private static final String SPEC = "netspec.json";
    private static final String PARAMS = "parameters.bin";

    private SavedModel() {}

    /** Writes {@code network} into {@code dir} (each file atomically). */
    public static void save(Path dir, Network network) {
        AtomicFiles.writeString(dir.resolve(SPEC), NetSpecs.toJson(network.spec()));
        AtomicFiles.write(dir.resolve(PARAMS), out -> {
            DataOutputStream data = new DataOutputStream(out);
            BlockParameters.save(network.block(), data);
            data.flush();
        });
    }

    /** Whether {@code dir} holds a saved model. */
    public static boolean exists(Path dir) {
        return Files.isRegularFile(dir.resolve(SPEC)) && Files.isRegularFile(dir.resolve(PARAMS));
    }

    /** The architecture of the saved network, without loading its parameters. */
    public static NetSpec spec(Path dir) {
        if (!exists(dir)) {
            throw new ChaseException(dir + " holds no saved model (expected " + SPEC + " and " + PARAMS + ")");
        }
        try {
            return NetSpecs.fromJson(Files.readString(dir.resolve(SPEC), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new ChaseException("cannot read " + dir.resolve(SPEC) + ": " + AtomicFiles.describe(e), e);
        }
    }

    /** Builds the saved network with its parameters in {@code manager}. */
    public static Network load(Path dir, NDManager manager) {
        Network network = Network.build(spec(dir));
        network.initialize(manager);
        try (InputStream in = new BufferedInputStream(Files.newInputStream(dir.resolve(PARAMS)))) {
            BlockParameters.load(network.block(), manager, new DataInputStream(in), "saved model " + dir);
        } catch (IOException e) {
            throw new ChaseException("cannot read saved model " + dir + ": " + AtomicFiles.describe(e), e);
        }
        return network;
    }
}
