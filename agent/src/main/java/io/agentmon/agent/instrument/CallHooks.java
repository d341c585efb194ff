package io.agentmon.agent.instrument;

import io.agentmon.agent.config.AgentConfig;
import io.agentmon.agent.config.ValueSpec;
import io.agentmon.agent.matching.ByName;
import io.agentmon.agent.matching.Lineage;
import io.agentmon.agent.matching.MethodMatcher;
import io.agentmon.agent.matching.MethodMatchers;
import io.agentmon.bootstrap.EventRecorders;
import io.agentmon.bootstrap.TaskRecorders;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.bytebuddy.jar.asm.Type;

/**
 * The lists other than the tasks (timeout handlers, events, container allocations and releases)
 * as {@link CallHookWeaver} weaves them, when names decide them and each value is an argument or
 * the return value itself: what {@link Weavings} does with Byte Buddy for the same lists. A
 * value that needs more (a getter chain, a {@code Number} subclass the weaver does not know by
 * name) sends the whole configuration, or the one class, back to Byte Buddy, whose reader
 * decides it as before.
 */
final class CallHooks {

    /** Thrown while planning a class this weaver cannot take as Byte Buddy would: Byte Buddy takes it. */
    static final class NeedsByteBuddy extends RuntimeException {
        NeedsByteBuddy(String why) {
            super(why, null, false, false);
        }
    }

    private static final class Event {
        final ByName matchers;
        final int id;
        final ValueSpec value;

        Event(ByName matchers, int id, ValueSpec value) {
            this.matchers = matchers;
            this.id = id;
            this.value = value;
        }
    }

    private final InstrumentationStats stats;
    private final ByName timeouts;
    private final ByName allocations;
    private final ByName releases;
    private final ValueSpec cpu;
    private final ValueSpec memory;
    private final List<Event> events = new ArrayList<>();
    private final boolean weavable;

    CallHooks(AgentConfig config, InstrumentationStats stats) {
        this.stats = stats;
        this.timeouts = new ByName(config.timeouts());
        this.allocations = new ByName(config.docker());
        this.releases = new ByName(config.dockerRelease());
        this.cpu = config.dockerCpu();
        this.memory = config.dockerMemory();
        boolean decided = timeouts.decidesByName() && allocations.decidesByName() && releases.decidesByName()
                && direct(cpu) && direct(memory);
        for (Map.Entry<String, AgentConfig.Event> event : config.events().entrySet()) {
            ByName matchers = new ByName(event.getValue().matchers());
            decided &= matchers.decidesByName() && direct(event.getValue().value());
            // Registered whoever weaves: Byte Buddy's Weavings register the same name, to the same id.
            events.add(new Event(matchers, EventRecorders.register(event.getKey()), event.getValue().value()));
        }
        this.weavable = decided;
    }

    /** A value read with no getter: the argument or the return value itself. */
    private static boolean direct(ValueSpec value) {
        return value == null || value.path().isEmpty();
    }

    /** Whether this weaver can take every class these lists name: otherwise Byte Buddy takes them all. */
    boolean weavable() {
        return weavable;
    }

    /** The woven class file, or null when no list selects a method of it; throws {@link NeedsByteBuddy}. */
    byte[] weave(String className, Lineage lineage, byte[] classFile) {
        int[] woven = {0};
        List<String> refused = new ArrayList<>();
        byte[] result = CallHookWeaver.weave(classFile, (methodName, access, descriptor) -> {
            CallHookWeaver.Plan plan = new CallHookWeaver.Plan();
            int before = woven[0];
            for (Event event : events) {
                if (event.matchers.select(className, lineage, methodName, access) == null) {
                    continue;
                }
                if (event.id < 0) {
                    refused.add(methodName);
                    continue;
                }
                woven[0]++;
                plan.eventCounted(event.id);
                if (event.value == null) {
                    continue;
                }
                int argument = event.value.isReturn() ? -1 : event.value.argument();
                readable(event.value, descriptor, argument);
                if (event.value.isReturn()) {
                    plan.eventValueFromReturn(event.id);
                } else {
                    plan.eventValueFromArgument(event.id, argument);
                }
            }
            MethodMatcher handler = timeouts.select(className, lineage, methodName, access);
            if (handler != null) {
                woven[0]++;
                plan.timeoutHandler(TaskRecorders.registerTimeoutTarget(MethodMatchers.label(handler, className, methodName)),
                        handler.label() != null);
            }
            if (allocations.select(className, lineage, methodName, access) != null) {
                woven[0]++;
                plan.allocation(argument(cpu, descriptor), argument(memory, descriptor));
            }
            if (releases.select(className, lineage, methodName, access) != null) {
                if (Type.getArgumentTypes(descriptor).length == 0) {
                    throw new NeedsByteBuddy(methodName + descriptor + " takes no argument to release"); // Byte Buddy's warning says so
                }
                woven[0]++;
                plan.release();
            }
            return woven[0] == before ? null : plan;
        });
        for (int i = 0; i < woven[0]; i++) {
            stats.woven();
        }
        for (String methodName : refused) {
            stats.refused(className, methodName);
        }
        return result;
    }

    /** The argument a size is read from, -1 for a size not configured. */
    private static int argument(ValueSpec size, String descriptor) {
        if (size == null) {
            return -1;
        }
        readable(size, descriptor, size.argument());
        return size.argument();
    }

    private static void readable(ValueSpec value, String descriptor, int argument) {
        if (!CallHookWeaver.readsNumber(descriptor, argument)) {
            // Not a number this weaver knows by name, or not there at all: Byte Buddy's reader decides, and says why.
            throw new NeedsByteBuddy(value + " of " + descriptor);
        }
    }
}
