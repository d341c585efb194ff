package io.agentmon.agent.instrument;

import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.CreateContainerResponse;
import com.github.dockerjava.api.command.KillContainerCmd;
import com.github.dockerjava.api.command.RemoveContainerCmd;
import com.github.dockerjava.api.command.StartContainerCmd;
import com.github.dockerjava.api.command.StopContainerCmd;
import com.github.dockerjava.api.model.HostConfig;
import io.agentmon.bootstrap.ContainerProbes;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/** Copied into container allocation code: the worker's own allocator, and docker-java's commands. */
final class ContainerAdvice {

    private ContainerAdvice() {
    }

    /**
     * A method named by {@code agentmon.docker}: counted and timed. Its size is read by
     * {@link AllocationCpus} and {@link AllocationMemory}, woven inside this one, as the value of an event is: a size that
     * cannot be read (a null on the getter chain) then costs the size, never the clock read.
     */
    static final class Allocate {
        private Allocate() {
        }

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static long enter() {
            return ContainerProbes.allocationStarted();
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Enter long startNanos, @Advice.Return(typing = Assigner.Typing.DYNAMIC) Object container,
                @Advice.Thrown Throwable thrown) {
            ContainerProbes.allocationFinished(startNanos, container, thrown);
        }
    }

    /** The allocation's CPU cores, read from its arguments as configured, after {@link Allocate}'s enter. */
    static final class AllocationCpus {
        private AllocationCpus() {
        }

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@ReadCpu double cpus) {
            ContainerProbes.allocationCpus(cpus);
        }
    }

    /** The allocation's memory, read apart from its CPU, so that one unreadable does not lose the other. */
    static final class AllocationMemory {
        private AllocationMemory() {
        }

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@ReadMemory double memoryBytes) {
            ContainerProbes.allocationMemory(memoryBytes);
        }
    }

    /** A method named by {@code agentmon.docker.release}: its first argument is what the allocation returned. */
    static final class Release {
        private Release() {
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Argument(0) Object container, @Advice.Thrown Throwable thrown) {
            if (thrown == null) {
                ContainerProbes.released(container);
            }
        }
    }

    /**
     * docker-java's {@code AbstrDockerCmd.exec()}, which every command runs through. This code
     * is copied into docker-java itself, so it uses docker-java's types directly (from the
     * worker's own copy) and hands their plain values to the bootstrap probes, which hold the
     * logic; only the reading, which needs those types, stays here (the bootstrap loader cannot
     * see docker-java).
     */
    static final class DockerJavaExec {
        private DockerJavaExec() {
        }

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static long enter() {
            return System.nanoTime();
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.This Object command, @Advice.Enter long startNanos,
                @Advice.Return(typing = Assigner.Typing.DYNAMIC) Object result, @Advice.Thrown Throwable thrown) {
            if (command instanceof CreateContainerCmd) {
                HostConfig host = ((CreateContainerCmd) command).getHostConfig();
                ContainerProbes.dockerCreateRan(startNanos, ((CreateContainerCmd) command).getImage(),
                        result instanceof CreateContainerResponse ? ((CreateContainerResponse) result).getId() : null, thrown,
                        host == null ? null : host.getNanoCPUs(), host == null ? null : host.getCpuQuota(),
                        host == null ? null : host.getCpuPeriod(), host == null ? null : host.getMemory());
            } else if (thrown != null) {
                return;
            } else if (command instanceof StartContainerCmd) {
                ContainerProbes.dockerStarted(((StartContainerCmd) command).getContainerId());
            } else if (command instanceof StopContainerCmd) {
                ContainerProbes.dockerStopped(((StopContainerCmd) command).getContainerId());
            } else if (command instanceof KillContainerCmd) {
                ContainerProbes.dockerStopped(((KillContainerCmd) command).getContainerId());
            } else if (command instanceof RemoveContainerCmd) {
                ContainerProbes.dockerRemoved(((RemoveContainerCmd) command).getContainerId());
            }
        }
    }
}
