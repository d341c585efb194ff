package io.agentmon.bootstrap;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The worker's own OpenTelemetry API, where it has one: when a task starts with no agentmon
 * parent, the span the worker's code made current ({@code Span.current()}, e.g. one extracted
 * from an incoming W3C {@code traceparent}) becomes its parent, so agentmon's spans continue
 * the worker's traces.
 *
 * <p>The API is found, once per woven method, in the class loader that defined the method, and
 * called through method handles: agentmon links against none of the worker's classes. A
 * worker without the API costs one array read per root run.
 *
 * <p><b>Threads.</b> Any worker thread starting a root run; the per-method cache is an atomic
 * array (two threads may resolve the same method at once and store the same answer).
 */
final class WorkerOtel {

    /** Per method id: null until looked up, then {@link #NONE} or an {@link Api}. */
    private static final AtomicReferenceArray<Object> BY_METHOD = new AtomicReferenceArray<>(TaskMethods.MAX_METHODS);
    private static final Map<ClassLoader, Object> BY_LOADER = new WeakHashMap<>(); // guarded by itself
    private static final Object NONE = new Object();

    private WorkerOtel() {
    }

    /**
     * Reads the worker's current span context into {@code into}'s parent fields;
     * returns false when the method's class loader has no OpenTelemetry API or no valid span is current.
     */
    static boolean current(int methodId, TraceThread into) {
        // The one place where a task probe calls the worker's code: its API, its SDK's spans, its
        // class loader. A task method woven there (agentmon.tasks=*#*) re-enters the probe, which
        // must not call in again: that run simply starts its own trace. This costs one field of
        // the TraceThread the caller already holds, and only on a traced run without a parent.
        if (into.inWorkerCode) {
            return false;
        }
        into.inWorkerCode = true;
        try {
            Object api = BY_METHOD.get(methodId);
            if (api == null) {
                api = resolve(TaskMethods.loader(methodId));
                BY_METHOD.set(methodId, api);
            }
            return api != NONE && ((Api) api).read(into);
        } finally {
            into.inWorkerCode = false;
        }
    }

    private static Object resolve(ClassLoader loader) {
        if (loader == null) {
            return NONE;
        }
        Object api;
        synchronized (BY_LOADER) {
            api = BY_LOADER.get(loader);
        }
        if (api != null) {
            return api;
        }
        // Looked up outside the lock: the lookup runs the worker's class loader, which may hold
        // its own locks and run woven code that comes here on another thread.
        api = Api.find(loader);
        synchronized (BY_LOADER) {
            Object first = BY_LOADER.putIfAbsent(loader, api);
            return first != null ? first : api;
        }
    }

    /** Handles on {@code Span.current().getSpanContext()} and the parts of the context read. */
    private static final class Api {
        private final MethodHandle current;
        private final MethodHandle spanContext;
        private final MethodHandle isValid;
        private final MethodHandle traceId;
        private final MethodHandle spanId;
        private final MethodHandle isSampled;

        private Api(MethodHandle current, MethodHandle spanContext, MethodHandle isValid, MethodHandle traceId,
                MethodHandle spanId, MethodHandle isSampled) {
            this.current = current;
            this.spanContext = spanContext;
            this.isValid = isValid;
            this.traceId = traceId;
            this.spanId = spanId;
            this.isSampled = isSampled;
        }

        static Object find(ClassLoader loader) {
            try {
                Class<?> span = Class.forName("io.opentelemetry.api.trace.Span", false, loader);
                Class<?> context = Class.forName("io.opentelemetry.api.trace.SpanContext", false, loader);
                MethodHandles.Lookup lookup = MethodHandles.publicLookup();
                MethodType object = MethodType.methodType(Object.class, Object.class);
                MethodType bool = MethodType.methodType(boolean.class, Object.class);
                return new Api(
                        lookup.findStatic(span, "current", MethodType.methodType(span)).asType(MethodType.methodType(Object.class)),
                        lookup.findVirtual(span, "getSpanContext", MethodType.methodType(context)).asType(object),
                        lookup.findVirtual(context, "isValid", MethodType.methodType(boolean.class)).asType(bool),
                        lookup.findVirtual(context, "getTraceId", MethodType.methodType(String.class)).asType(object),
                        lookup.findVirtual(context, "getSpanId", MethodType.methodType(String.class)).asType(object),
                        lookup.findVirtual(context, "isSampled", MethodType.methodType(boolean.class)).asType(bool));
            } catch (LinkageError | ReflectiveOperationException e) {
                return NONE; // no API (or one too old to have these methods): tasks start their own traces
            }
        }

        boolean read(TraceThread into) {
            try {
                Object context = (Object) spanContext.invokeExact((Object) current.invokeExact());
                if (!(boolean) isValid.invokeExact(context)) {
                    return false;
                }
                String trace = (String) (Object) traceId.invokeExact(context);
                String span = (String) (Object) spanId.invokeExact(context);
                if (trace.length() != 32 || span.length() != 16) {
                    return false;
                }
                into.parent(hex(trace, 0), hex(trace, 16), hex(span, 0),
                        (boolean) isSampled.invokeExact(context) ? Traces.SAMPLED : 0);
                return true;
            } catch (Throwable e) {
                return false; // the worker's API misbehaved: this run starts its own trace
            }
        }

        /** 16 hex digits from {@code from}, without allocating. */
        private static long hex(String text, int from) {
            long value = 0;
            for (int i = from; i < from + 16; i++) {
                value = (value << 4) | Character.digit(text.charAt(i), 16);
            }
            return value;
        }
    }
}
