package io.agentmon.agent.instrument;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.acme.values.Allocator;
import com.acme.values.Allocator.Request;
import com.acme.values.OtherWorker;
import io.agentmon.agent.config.ValueSpec;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.modifier.Visibility;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.dynamic.loading.ClassLoadingStrategy;
import net.bytebuddy.implementation.Implementation;
import net.bytebuddy.implementation.bytecode.ByteCodeAppender;
import net.bytebuddy.implementation.bytecode.StackManipulation;
import net.bytebuddy.implementation.bytecode.member.MethodReturn;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A value spec compiled against a method's description, as at transform time: the bytecode it
 * makes is run, in a method with the allocator's parameters, and a spec that can't be read is
 * refused with a message that says why.
 */
class ValueReaderTest {

    private static final TypeDescription ALLOCATOR = TypeDescription.ForLoadedType.of(Allocator.class);

    private static MethodDescription method(String name) {
        return ALLOCATOR.getDeclaredMethods().filter(named(name)).getOnly();
    }

    /** The specs the tests read, each compiled into one method of {@link #READER}. */
    private static final List<String> SPECS = Arrays.asList("arg0", "arg2", "arg1.sizes.memoryBytes", "arg1.sizes.cpus",
            "arg1.sizes.reserved", "arg1.sizes.count", "arg1.sizes.inherited", "arg1.sizes.total", "arg1.sizes.self.self.cpus");
    private static Object reader;

    /**
     * Compiles every spec into a {@code double readN(double, Request, Integer, String)} of one
     * generated class (one class, as generating is what costs here), as the advice binds it.
     */
    @BeforeAll
    static void compile() throws Exception {
        DynamicType.Builder<Object> builder = new ByteBuddy().subclass(Object.class);
        for (int i = 0; i < SPECS.size(); i++) {
            ValueSpec value = ValueSpec.parse(SPECS.get(i));
            builder = builder.defineMethod("read" + i, double.class, Visibility.PUBLIC)
                    .withParameters(double.class, Request.class, Integer.class, String.class)
                    .intercept(new Implementation.Simple((ByteCodeAppender) (visitor, context, method) -> {
                        StackManipulation.Size size = new StackManipulation.Compound(
                                ValueReader.argument(value, method, context.getInstrumentedType()), MethodReturn.DOUBLE)
                                .apply(visitor, context);
                        return new ByteCodeAppender.Size(size.getMaximalSize(), method.getStackSize());
                    }));
        }
        reader = builder.make()
                .load(ValueReaderTest.class.getClassLoader(), ClassLoadingStrategy.Default.WRAPPER)
                .getLoaded()
                .getDeclaredConstructor()
                .newInstance();
    }

    /** What the compiled {@code spec} reads from these arguments. */
    private static double read(String spec, double cpus, Request request, Integer count) throws Exception {
        Method read = reader.getClass().getMethod("read" + SPECS.indexOf(spec), double.class, Request.class, Integer.class,
                String.class);
        return (double) read.invoke(reader, cpus, request, count, "name");
    }

    private static String refused(String spec, String method, TypeDescription instrumented) {
        return assertThrows(IllegalArgumentException.class,
                () -> ValueReader.argument(ValueSpec.parse(spec), method(method), instrumented)).getMessage();
    }

    @Test
    void argumentsAreReadWidenedAndUnboxed() throws Exception {
        assertEquals(2.5, read("arg0", 2.5, new Request(), 7));
        assertEquals(7.0, read("arg2", 2.5, new Request(), 7), "an Integer, unboxed");
    }

    @Test
    void everyGetterFormIsFollowed() throws Exception {
        Request request = new Request();
        assertEquals(268_435_456.0, read("arg1.sizes.memoryBytes", 0, request, 0), "getSizes(), then memoryBytes()");
        assertEquals(1.5, read("arg1.sizes.cpus", 0, request, 0), "getCpus()");
        assertEquals(7.0, read("arg1.sizes.reserved", 0, request, 0), "isReserved(), a Long");
        assertEquals(3.0, read("arg1.sizes.count", 0, request, 0), "a field");
        assertEquals(11.0, read("arg1.sizes.inherited", 0, request, 0), "a superclass's field");
        assertEquals(99.0, read("arg1.sizes.total", 0, request, 0), "an interface's default method");
        assertEquals(1.5, read("arg1.sizes.self.self.cpus", 0, request, 0), "chained");
    }

    @Test
    void aMissingArgumentIsNamedWithTheMethodsArity() {
        assertEquals("arg4: allocate has 4 arguments", refused("arg4", "allocate", ALLOCATOR));
        assertEquals("arg0: reset has 0 arguments", refused("arg0", "reset", ALLOCATOR));
    }

    @Test
    void aMissingGetterNamesEveryFormItLookedFor() {
        assertEquals("arg1.sizes.weight: com.acme.values.Allocator$Sizes has no accessible weight(), getWeight(), isWeight()"
                + " or field weight", refused("arg1.sizes.weight", "allocate", ALLOCATOR));
        assertEquals("arg1.sizes.clear: com.acme.values.Allocator$Sizes has no accessible clear(), getClear(), isClear()"
                + " or field clear", refused("arg1.sizes.clear", "allocate", ALLOCATOR), "a void method is no getter");
    }

    @Test
    void onlyMembersTheInstrumentedClassCanReachAreRead() {
        TypeDescription samePackage = TypeDescription.ForLoadedType.of(OtherWorker.class);
        TypeDescription elsewhere = TypeDescription.ForLoadedType.of(ValueReaderTest.class);
        ValueReader.argument(ValueSpec.parse("arg1.sizes.local"), method("allocate"), samePackage); // package-private: reachable
        assertEquals("arg1.sizes.local: com.acme.values.Allocator$Sizes has no accessible local(), getLocal(), isLocal()"
                + " or field local", refused("arg1.sizes.local", "allocate", elsewhere));
        assertEquals("arg1.sizes.secret: com.acme.values.Allocator$Sizes has no accessible secret(), getSecret(), isSecret()"
                + " or field secret", refused("arg1.sizes.secret", "allocate", samePackage), "private");
        assertEquals("arg1.sizes.hidden: com.acme.values.Allocator$Sizes has no accessible hidden(), getHidden(), isHidden()"
                + " or field hidden", refused("arg1.sizes.hidden", "allocate", samePackage), "a private field");
    }

    @Test
    void aValueThatIsNoNumberIsRefusedWithItsType() {
        assertEquals("arg3: java.lang.String is not a number", refused("arg3", "allocate", ALLOCATOR));
        assertEquals("arg1: com.acme.values.Allocator$Request is not a number", refused("arg1", "allocate", ALLOCATOR));
        assertEquals("arg1.sizes.large: boolean is not a number", refused("arg1.sizes.large", "allocate", ALLOCATOR));
        assertEquals("arg1.sizes.name: java.lang.String is not a number", refused("arg1.sizes.name", "allocate", ALLOCATOR));
    }

    @Test
    void aReturnValueMustBeANumber() {
        ValueReader.checkReturn(ValueSpec.parse("return"), method("size")); // a Long
        assertEquals("return: void is not a number", assertThrows(IllegalArgumentException.class,
                () -> ValueReader.checkReturn(ValueSpec.parse("return"), method("reset"))).getMessage());
        assertEquals("return: java.lang.String is not a number", assertThrows(IllegalArgumentException.class,
                () -> ValueReader.checkReturn(ValueSpec.parse("return"), method("describe"))).getMessage());
    }
}
