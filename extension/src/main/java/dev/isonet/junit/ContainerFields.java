package dev.isonet.junit;

import dev.isonet.Network;
import dev.isonet.Node;
import dev.isonet.NodeSpec;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.HierarchyTraversalMode;

/** The {@code @Container} fields of a test class, checked before anything is created. */
record ContainerFields(List<Field> statics, List<Field> instances) {

    /** Fields of {@code testClass} and its superclasses, validated together with those of its enclosing classes. */
    static ContainerFields of(Class<?> testClass) {
        List<Field> statics = new ArrayList<>();
        List<Field> instances = new ArrayList<>();
        for (Field field : annotated(testClass)) {
            (Modifier.isStatic(field.getModifiers()) ? statics : instances).add(field);
        }
        List<Field> all = new ArrayList<>();
        for (Class<?> c = testClass; c != null; c = c.getEnclosingClass()) {
            all.addAll(annotated(c));
        }
        validate(all);
        return new ContainerFields(statics, instances);
    }

    private static List<Field> annotated(Class<?> type) {
        return AnnotationSupport.findAnnotatedFields(type, Container.class, field -> true,
                HierarchyTraversalMode.TOP_DOWN);
    }

    static String nodeName(Field field) {
        String name = field.getAnnotation(Container.class) == null ? "" : field.getAnnotation(Container.class).name();
        return name.isEmpty() ? field.getName() : name;
    }

    /** The node a field or parameter asks for; fails, saying why, on a bad name or option. */
    static NodeSpec spec(Container container, String name) {
        return spec(container, name, true);
    }

    /**
     * Without {@code rootfs}, the root filesystem's directory is not looked at: checked before anything is made,
     * it may not exist yet (a {@code @BeforeAll} method may build it for instance fields).
     */
    private static NodeSpec spec(Container container, String name, boolean rootfs) {
        NodeSpec spec = NodeSpec.named(name);
        if (container == null) {
            return spec;
        }
        if (!container.address().isEmpty()) {
            spec.address(container.address());
        }
        if (container.mtu() != 0) {
            spec.mtu(container.mtu());
        }
        spec.aliases(container.aliases());
        for (String sysctl : container.sysctls()) {
            int equals = sysctl.indexOf('=');
            if (equals < 0) {
                throw new IllegalArgumentException("sysctl '" + sysctl + "' must be written as key=value");
            }
            spec.sysctl(sysctl.substring(0, equals).strip(), sysctl.substring(equals + 1));
        }
        if (rootfs && !container.rootfs().isEmpty()) {
            attribute("rootfs = \"" + container.rootfs() + "\"", () -> spec.rootfs(Path.of(container.rootfs())));
        }
        if (!container.memory().isEmpty()) {
            attribute("memory = \"" + container.memory() + "\"", () -> spec.memoryLimit(container.memory()));
        }
        if (container.pids() != 0) {
            attribute("pids = " + container.pids(), () -> spec.pidsLimit(container.pids()));
        }
        if (container.cpus() != 0) {
            attribute("cpus = " + container.cpus(), () -> spec.cpus(container.cpus()));
        }
        return spec;
    }

    /** Sets an option, naming the attribute it came from in the failure. */
    private static void attribute(String attribute, Runnable set) {
        try {
            set.run();
        } catch (java.nio.file.InvalidPathException e) {
            throw new IllegalArgumentException(attribute + ": not a path: " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(attribute + ": " + e.getMessage(), e);
        }
    }

    /** The node a field asks for, the root filesystem's directory included; fails naming the field. */
    static NodeSpec spec(Field field) {
        try {
            return spec(field.getAnnotation(Container.class), nodeName(field));
        } catch (IllegalArgumentException e) {
            throw new ExtensionConfigurationException("@Container field [" + field + "]: " + e.getMessage() + ".");
        }
    }

    private static void validate(List<Field> fields) {
        Map<String, Field> byName = new HashMap<>();
        for (Field field : fields) {
            if (field.getType() != Node.class) {
                throw new ExtensionConfigurationException("@Container field [" + field + "] must be of type "
                        + Node.class.getName() + ", not " + field.getType().getName() + ".");
            }
            if (Modifier.isFinal(field.getModifiers())) {
                throw new ExtensionConfigurationException("@Container field [" + field + "] must not be declared"
                        + " as final.");
            }
            String name = nodeName(field);
            try {
                spec(field.getAnnotation(Container.class), name, false);
            } catch (IllegalArgumentException e) {
                throw new ExtensionConfigurationException("@Container field [" + field + "]: " + e.getMessage() + ".");
            }
            Field other = byName.putIfAbsent(name, field);
            if (other != null && !other.equals(field)) {
                throw new ExtensionConfigurationException("@Container fields [" + other + "] and [" + field
                        + "] both name node '" + name + "'; give one of them @Container(name = \"...\").");
            }
        }
    }
}
