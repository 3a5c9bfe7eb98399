package dev.chase.run;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.chase.ChaseException;
import dev.chase.FaultPoint;
import dev.chase.io.AtomicFiles;
import dev.chase.io.BlockParameters;
import dev.chase.io.EncodedTensor;
import dev.chase.io.Json;
import dev.chase.model.NetSpec;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.CheckedOutputStream;

/**
 * One resumable snapshot of a run: a header (progress counters and the architecture), every model parameter, and named
 * extra tensors (optimizer momentum now; masks later). The file ends with a CRC-32 of its content
 * and is written atomically, so a checkpoint is either complete and verified or refused.
 *
 * <p>Layout: magic {@code CHASECKP}, format version, header JSON, DJL parameter stream, tensor
 * count, (name, length, DJL-encoded tensor) per tensor, CRC-32.
 */
public final class Checkpoint {
    /**
     * Format version written by this build; a newer one is refused with a clear message. Version 2
     * added the architecture to the header (version 1 files are read with none).
     */
    public static final int FORMAT_VERSION = 2;

    private static final byte[] MAGIC = "CHASECKP".getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_HEADER = 1 << 20;

    /**
     * Progress counters at the moment of the snapshot.
     *
     * @param epoch number of completed epochs
     * @param step number of optimizer steps taken
     * @param bestTestAccuracy best end-of-epoch test accuracy so far
     * @param netSpec the architecture the parameters belong to (narrower than configured once a
     *     run that shrinks while training has removed channels), or null in version 1 files
     */
    @JsonNaming(PropertyNamingStrategies.KebabCaseStrategy.class)
    public record Header(int epoch, long step, double bestTestAccuracy, NetSpec netSpec) {}

    /** What {@link #read} returns; the tensors belong to the manager passed in. */
    public record Loaded(Header header, Map<String, NDArray> tensors) {}

    private Checkpoint() {}

    /** Atomically writes a checkpoint of {@code block} plus {@code tensors} to {@code file}. */
    public static void write(Path file, Header header, Block block, Map<String, NDArray> tensors) {
        AtomicFiles.write(file, raw -> {
            CRC32 crc = new CRC32();
            DataOutputStream out = new DataOutputStream(new CheckedOutputStream(raw, crc));
            out.write(MAGIC);
            out.writeInt(FORMAT_VERSION);
            byte[] json = Json.write(header).getBytes(StandardCharsets.UTF_8);
            out.writeInt(json.length);
            out.write(json);
            BlockParameters.save(block, out);
            out.flush();
            FaultPoint.reach("checkpoint-write");
            out.writeInt(tensors.size());
            for (Map.Entry<String, NDArray> t : tensors.entrySet()) {
                out.writeUTF(t.getKey());
                byte[] bytes = t.getValue().encode();
                out.writeInt(bytes.length);
                out.write(bytes);
            }
            out.flush();
            new DataOutputStream(raw).writeLong(crc.getValue());
        });
    }

    /** Verifies {@code file} and reads only its header (to build the network its parameters belong to). */
    public static Header readHeader(Path file) {
        return open(file).header();
    }

    /**
     * Verifies {@code file} and loads it: parameters into {@code block} (which must have the same
     * structure, see {@link Header#netSpec()}), extra tensors into {@code manager}.
     */
    public static Loaded read(Path file, Block block, NDManager manager) {
        Reader r = open(file);
        try {
            DataInputStream in = r.in();
            BlockParameters.load(block, manager, in, r.what());
            int count = in.readInt();
            if (count < 0 || count > 100_000) {
                throw new ChaseException(r.what() + " has a bad tensor count " + count);
            }
            Map<String, NDArray> tensors = new LinkedHashMap<>();
            for (int i = 0; i < count; i++) {
                String name = in.readUTF();
                int len = in.readInt();
                if (len < 0 || len > in.available()) {
                    throw new ChaseException(r.what() + " has a bad length for tensor " + name);
                }
                tensors.put(name, EncodedTensor.decode(manager, in.readNBytes(len), r.what() + ": tensor " + name));
            }
            return new Loaded(r.header(), tensors);
        } catch (EOFException e) {
            throw new ChaseException(r.what() + " is truncated", e);
        } catch (IOException e) {
            throw new ChaseException("cannot read " + r.what() + ": " + AtomicFiles.describe(e), e);
        }
    }

    /** A verified checkpoint (held in memory) positioned after its header. */
    private record Reader(String what, Header header, DataInputStream in) {}

    /** Reads the whole file, checks magic, checksum and version, and parses the header. */
    private static Reader open(Path file) {
        byte[] all;
        try {
            all = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ChaseException("cannot read checkpoint " + file + ": " + AtomicFiles.describe(e), e);
        }
        String what = "checkpoint " + file;
        if (all.length < MAGIC.length + 4 + 8 || !Arrays.equals(Arrays.copyOf(all, MAGIC.length), MAGIC)) {
            throw new ChaseException(what + " is not a chase checkpoint");
        }
        CRC32 crc = new CRC32();
        crc.update(all, 0, all.length - 8);
        long stored = java.nio.ByteBuffer.wrap(all, all.length - 8, 8).getLong();
        if (crc.getValue() != stored) {
            throw new ChaseException(what + " is corrupt (checksum mismatch); `chase runs check RUN_DIR` lists the"
                    + " checkpoints, and chase train --resume RUN_DIR --from-checkpoint EPOCH goes back to an earlier one");
        }
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(all, MAGIC.length, all.length - MAGIC.length - 8));
        try {
            int version = in.readInt();
            if (version > FORMAT_VERSION || version < 1) {
                throw new ChaseException(what + " has format version " + version + "; this build reads up to "
                        + FORMAT_VERSION + " (use a newer chase)");
            }
            int headerLen = in.readInt();
            if (headerLen <= 0 || headerLen > MAX_HEADER) {
                throw new ChaseException(what + " has a bad header length " + headerLen);
            }
            byte[] json = in.readNBytes(headerLen);
            try {
                return new Reader(what, Json.MAPPER.readValue(json, Header.class), in);
            } catch (IOException e) {
                throw Json.error(what + " header", e);
            }
        } catch (EOFException e) {
            throw new ChaseException(what + " is truncated", e);
        } catch (IOException e) {
            throw new ChaseException("cannot read " + what + ": " + AtomicFiles.describe(e), e);
        }
    }
}
