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

    /** A method named by {@code agentmon.docker}; CPU and memory read from its arguments as configured. */
    static final class Allocate {
        private Allocate() {
        }

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static long enter(@ReadCpu double cpus, @ReadMemory double memoryBytes,
                @Advice.Local("agentmonCpus") double cpuLocal, @Advice.Local("agentmonMemory") long memoryLocal) {
            cpuLocal = cpus;
            memoryLocal = (long) memoryBytes;
            return System.nanoTime();
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Enter long startNanos, @Advice.Return(typing = Assigner.Typing.DYNAMIC) Object container,
                @Advice.Thrown Throwable thrown, @Advice.Local("agentmonCpus") double cpus,
                @Advice.Local("agentmonMemory") long memoryBytes) {
            ContainerProbes.allocated(startNanos, container, thrown, cpus, memoryBytes);
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
     * worker's own copy) and hands plain values to the bootstrap probes.
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
                long memory = host == null || host.getMemory() == null ? 0 : host.getMemory();
                double cpus = 0;
                if (host != null && host.getNanoCPUs() != null && host.getNanoCPUs() > 0) {
                    cpus = host.getNanoCPUs() / 1e9;
                } else if (host != null && host.getCpuQuota() != null && host.getCpuQuota() > 0) {
                    Long period = host.getCpuPeriod();
                    cpus = host.getCpuQuota() / (double) (period == null || period <= 0 ? 100_000L : period);
                }
                String id = result instanceof CreateContainerResponse ? ((CreateContainerResponse) result).getId() : null;
                ContainerProbes.dockerCreated(startNanos, ((CreateContainerCmd) command).getImage(), id, thrown, cpus, memory);
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
