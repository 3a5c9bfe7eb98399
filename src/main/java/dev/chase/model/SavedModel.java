package dev.chase.model;

import ai.djl.ndarray.NDManager;
import dev.chase.ChaseException;
import dev.chase.graph.ChannelGroup;
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
    /** Activation size allowed for any saved network, however small its file. */
    private static final double MIN_ACTIVATION_ALLOWANCE = 256.0 * 1024 * 1024;

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
        try (InputStream in = new BufferedInputStream(Files.newInputStream(dir.resolve(PARAMS)))) {
            checkSize(dir, network, Files.size(dir.resolve(PARAMS)));
            network.initialize(manager);
            BlockParameters.load(network.block(), manager, new DataInputStream(in), "saved model " + dir);
            if (in.read() != -1) {
                throw new ChaseException("saved model " + dir + ": " + PARAMS + " continues after this network's parameters; "
                        + "the files are corrupt or do not belong together");
            }
        } catch (IOException e) {
            throw new ChaseException("cannot read saved model " + dir + ": " + AtomicFiles.describe(e), e);
        }
        return network;
    }

    /**
     * Refuses, before anything is allocated, a spec whose network the parameter file cannot hold
     * (a corrupt width must not allocate gigabytes). Initialising also passes one dummy image
     * through the network, whose largest activation is at most (widest layer) x (input side)^2
     * floats; that is held to the file's size too (with a floor for narrow networks on large
     * images).
     */
    private static void checkSize(Path dir, Network network, long fileBytes) {
        NetSpec spec = network.spec();
        double weightBytes = 4.0 * network.maskableWeights().stream().mapToDouble(MaskableWeight::size).sum();
        int widest = Math.max(spec.inChannels(), spec.channelGroups().stream().mapToInt(ChannelGroup::width).max().orElse(0));
        double activationBytes = 4.0 * widest * spec.inputSize() * spec.inputSize();
        if (weightBytes > fileBytes || activationBytes > Math.max(MIN_ACTIVATION_ALLOWANCE, 16.0 * fileBytes)) {
            throw new ChaseException("saved model " + dir + ": " + SPEC + " describes a network of " + (long) weightBytes
                    + " bytes of weights for " + spec.inputSize() + "x" + spec.inputSize() + " inputs, but " + PARAMS
                    + " holds only " + fileBytes + " bytes; the files are corrupt or do not belong together");
        }
    }
}
