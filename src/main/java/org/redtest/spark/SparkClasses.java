package org.redtest.spark;

import org.redtest.RedTestException;

import java.lang.reflect.InvocationTargetException;

/**
 * Creates a Spark engine by its class name. Spark's jars are not on the default runtime class path (the
 * {@code spark} Maven profile adds them), so nothing outside the Spark packages names their classes: an engine
 * is loaded here, and a build without Spark gets a message saying how to make one that has it.
 */
public final class SparkClasses {
    private SparkClasses() {
    }

    /** A new {@code className}, through its constructor of {@code types}; {@code setting} names what asked for Spark. */
    public static <T> T instantiate(Class<T> kind, String className, String setting, Class<?>[] types, Object... args) {
        try {
            return kind.cast(Class.forName(className).getConstructor(types).newInstance(args));
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new RedTestException("cannot start the Spark engine: " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new RedTestException(setting + " needs Spark's jars, which the default build leaves out: "
                    + "build with 'mvn -Pcpu,spark -DskipTests package' and run bin/redtest (it adds target/spark-lib), "
                    + "or spark-submit target/redtest-spark.jar (docs/cluster.md) [" + e + "]", e);
        }
    }
}
