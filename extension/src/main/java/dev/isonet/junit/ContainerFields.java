package dev.isonet.junit;

import dev.isonet.Network;
import dev.isonet.Node;
import dev.isonet.NodeSpec;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
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
        return spec;
    }

    static NodeSpec spec(Field field) {
        return spec(field.getAnnotation(Container.class), nodeName(field));
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
                spec(field.getAnnotation(Container.class), name);
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
