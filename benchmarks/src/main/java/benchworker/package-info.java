/**
 * Stand-ins for a worker's task classes, deliberately outside {@code io.agentmon}: the agent
 * never weaves its own packages ({@code io.agentmon.*} is on its ignore list), so a task class
 * there would stay plain whatever {@code agentmon.tasks} says.
 *
 * <p>{@link benchworker.WovenTask} and {@link benchworker.PlainTask} are the same source, byte
 * for byte apart from the name; the benchmarks' {@code agentmon.tasks} names only the first.
 */
package benchworker;
