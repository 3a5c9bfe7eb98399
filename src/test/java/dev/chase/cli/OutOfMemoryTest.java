package dev.chase.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.EngineException;
import dev.chase.ChaseException;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class OutOfMemoryTest {
    @Test
    void theEnginesAllocationFailureIsFoundAmongTheCausesAndSaidWithItsSize() {
        var engine = new EngineException("[enforce fail at alloc_cpu.cpp:119] err == 0. DefaultCPUAllocator: can't allocate memory: "
                + "you tried to allocate 52428800000 bytes. Error code 12 (Cannot allocate memory)");
        assertThat(OutOfMemory.describe(new IllegalStateException("wrapped", engine))).hasValueSatisfying(m -> assertThat(m)
                .startsWith("out of memory: PyTorch could not allocate a tensor of 52.4 GB (this machine has ")
                .endsWith("a smaller batch size, width or model needs less"));
        assertThat(OutOfMemory.describe(new EngineException("[enforce fail at alloc_cpu.cpp:117] data. DefaultCPUAllocator: not enough "
                + "memory: you tried to allocate 2000000000 bytes."))).as("the wording on other systems").hasValueSatisfying(m ->
                        assertThat(m).contains("a tensor of 2.0 GB"));
        assertThat(OutOfMemory.describe(new EngineException("expected a 4-d input"))).isEmpty();
        assertThat(OutOfMemory.describe(new IllegalStateException("can't allocate memory: you tried to allocate 5 bytes"))).as("not the engine's")
                .isEmpty();
    }

    @Test
    void javaRunningOutOfHeapIsOneLineThatSaysHowToGiveItMore() {
        assertThat(OutOfMemory.javaMessage("Java heap space", 6_000_000_000L)).isEqualTo("out of memory in Java (Java heap space; its"
                + " heap may grow to 6.0 GB here); a smaller dataset, batch size, width or model needs less, or give Java more with"
                + " the JVM option -Xmx (for example -Xmx16g; through ./chase: CHASE_JAVA_OPTS=-Xmx16g)");
        assertThat(OutOfMemory.javaMessage(null, 25_165_824L)).startsWith("out of memory in Java (no detail; its heap may grow to 25 MB here)");
        StringWriter err = new StringWriter();
        int code = ChaseCli.fail(new OutOfMemoryError("Java heap space"), new PrintWriter(err, true));
        assertThat(code).isEqualTo(ChaseException.EXIT_CODE);
        assertThat(err.toString()).startsWith("chase: out of memory in Java (Java heap space; its heap may grow to ").hasLineCount(1);

        StringWriter internal = new StringWriter();
        assertThat(ChaseCli.fail(new StackOverflowError(), new PrintWriter(internal, true))).as("any other Error is an internal one")
                .isEqualTo(ChaseCli.INTERNAL_ERROR);
        assertThat(internal.toString()).startsWith("chase: internal error (please report it with the trace below)");
    }
}
