/**
 * The classes that woven code calls, loaded by the bootstrap class loader.
 *
 * <p>Everything here is on the worker's hot path or read by the agent at scrape time. The
 * rules: no dependencies beyond {@code java.base}, no locks, no allocation once a task's
 * recorder exists, and nothing that can throw into the worker. Writers are the worker's
 * threads (any number, concurrently); readers are agent threads, which see values that are
 * each exact but not taken at one instant (a scrape can land between two increments).
 */
package io.agentmon.bootstrap;
