package dev.chase.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.EngineException;
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
}
