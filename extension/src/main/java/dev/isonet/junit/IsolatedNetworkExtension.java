package dev.isonet.junit;

import dev.isonet.Network;
import dev.isonet.Node;
import dev.isonet.NodeSpec;
import dev.isonet.Privileges;
import dev.isonet.internal.Settings;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Field;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.LifecycleMethodExecutionExceptionHandler;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * Creates the network and nodes of {@link IsolatedNetwork} tests. Scope is the store written to: the class
 * context for static fields and {@code @BeforeAll} parameters, the method context for the rest. Each network
 * and node is stored right after it was created, so JUnit closes it, in reverse order, whatever happens.
 */
final class IsolatedNetworkExtension implements ExecutionCondition, BeforeAllCallback, BeforeEachCallback,
        AfterEachCallback, ParameterResolver, TestExecutionExceptionHandler,
        LifecycleMethodExecutionExceptionHandler {
    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(IsolatedNetworkExtension.class);
    private static final String NETWORK = "network";
    private static final System.Logger LOG = System.getLogger("dev.isonet");

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        configureSettings(context);
        IsolatedNetwork config = config(context);
        if (config != null && config.disabledWithoutPrivileges()) {
            String problem = Privileges.problem();
            if (problem != null) {
                return ConditionEvaluationResult.disabled("Isonet: " + problem);
            }
        }
        return ConditionEvaluationResult.enabled("Isonet has the privileges it needs, or was asked to fail without");
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        checkConfig(context);
        ContainerFields fields = ContainerFields.of(context.getRequiredTestClass());
        if (fields.statics().isEmpty()) {
            return;
        }
        if (config(context) == null) {
            throw new ExtensionConfigurationException("@Container static field [" + fields.statics().get(0)
                    + "] is in a class without @IsolatedNetwork: add @IsolatedNetwork to ["
                    + context.getRequiredTestClass().getName() + "] (or an enclosing class)");
        }
        checkAddresses(context, fields.statics());
        SharedStatics.lock(context, fields.statics(), NAMESPACE);
        Network network = network(context);
        for (Field field : fields.statics()) {
            inject(field, null, node(context, network, ContainerFields.spec(field)));
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        checkConfig(context);
        var instances = context.getRequiredTestInstances().getAllInstances();
        // Check every class first: nothing is created if any field is wrong.
        var perInstance = instances.stream().map(i -> ContainerFields.of(i.getClass())).toList();
        Stored<?> shared = context.getStore(NAMESPACE).get(NETWORK, Stored.class);
        boolean classNetwork = shared != null;
        FaultScope.mark(context, classNetwork ? (Network) shared.value() : null);
        if (config(context) == null) {
            for (ContainerFields fields : perInstance) {
                List<Field> all = new ArrayList<>(fields.statics());
                all.addAll(fields.instances());
                if (!all.isEmpty()) {
                    throw new ExtensionConfigurationException("@Container field [" + all.get(0) + "] is in a class"
                            + " without @IsolatedNetwork: add @IsolatedNetwork to [" + all.get(0).getDeclaringClass()
                            .getName() + "] or to the test method; without it no network is built and the field"
                            + " would stay null");
                }
            }
        }
        for (ContainerFields fields : perInstance) {
            if (!fields.statics().isEmpty() && !classNetwork) {
                throw new ExtensionConfigurationException("@Container static field [" + fields.statics().get(0)
                        + "] is shared by the class, so its class needs @IsolatedNetwork (not only its methods).");
            }
        }
        for (ContainerFields fields : perInstance) {
            checkAddresses(context, fields.instances());
        }
        Network network = null;
        for (int i = 0; i < instances.size(); i++) {
            for (Field field : perInstance.get(i).instances()) {
                if (network == null) {
                    network = network(context);
                }
                inject(field, instances.get(i), node(context, network, ContainerFields.spec(field)));
            }
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (context.getExecutionException().isEmpty()) {
            Stored<?> stored = context.getStore(NAMESPACE).get(NETWORK, Stored.class);
            if (stored != null) {
                try {
                    DiagnosticsFolder.afterSuccess(context, (Network) stored.value());
                } catch (RuntimeException e) {
                    // A passing test stays passed: the folder is a convenience.
                    LOG.log(System.Logger.Level.WARNING, "isonet: could not write the diagnostics of "
                            + context.getUniqueId() + ": " + e);
                }
            }
        }
        FaultScope.healNew(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return parameter.isAnnotated(Container.class) || type == Network.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Parameter p = parameter.getParameter();
        if (!parameter.isAnnotated(Container.class)) {
            return network(context);
        }
        if (p.getType() != Node.class) {
            throw new ParameterResolutionException("@Container parameter [" + p + "] of ["
                    + p.getDeclaringExecutable() + "] must be of type " + Node.class.getName() + ".");
        }
        if (config(context) == null) {
            throw new ParameterResolutionException("@Container parameter [" + p + "] of ["
                    + p.getDeclaringExecutable() + "] needs @IsolatedNetwork on its class or method.");
        }
        String name = parameter.findAnnotation(Container.class).map(Container::name).orElse("");
        if (name.isEmpty()) {
            if (!p.isNamePresent()) {
                throw new ParameterResolutionException("@Container parameter [" + p + "] of ["
                        + p.getDeclaringExecutable() + "] has no name at run time: compile with 'javac -parameters'"
                        + " or write @Container(name = \"...\").");
            }
            name = p.getName();
        }
        NodeSpec spec;
        try {
            spec = ContainerFields.spec(parameter.findAnnotation(Container.class).orElse(null), name);
        } catch (IllegalArgumentException e) {
            throw new ParameterResolutionException("@Container parameter [" + p + "]: " + e.getMessage() + ".");
        }
        Network network = network(context);
        for (Node existing : network.nodes()) {
            if (existing.name().equals(name)) {
                if (!spec.toString().equals(NodeSpec.named(name).toString())) {
                    throw new ParameterResolutionException("@Container parameter [" + p + "] names node '" + name
                            + "', which exists already: its options (" + spec + ") would not apply. Give the"
                            + " options where the node is made, or drop them here.");
                }
                return existing;
            }
        }
        return node(context, network, spec);
    }

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        throw report(context, failure);
    }

    @Override
    public void handleBeforeEachMethodExecutionException(ExtensionContext context, Throwable failure)
            throws Throwable {
        throw report(context, failure);
    }

    @Override
    public void handleAfterEachMethodExecutionException(ExtensionContext context, Throwable failure)
            throws Throwable {
        throw report(context, failure);
    }

    @Override
    public void handleBeforeAllMethodExecutionException(ExtensionContext context, Throwable failure)
            throws Throwable {
        throw report(context, failure);
    }

    /**
     * Reports a failure of a test with a network: its diagnostics folder (named in a suppressed exception), the
     * last lines of its nodes' processes, and, with isonet.keep.failed, keeps the network up for a while.
     */
    private static Throwable report(ExtensionContext context, Throwable failure) {
        Stored<?> stored = context.getStore(NAMESPACE).get(NETWORK, Stored.class);
        if (stored == null || failure instanceof org.opentest4j.TestAbortedException) {
            return failure;
        }
        Network network = (Network) stored.value();
        try {
            DiagnosticsFolder.onFailure(context, network, failure);
        } catch (RuntimeException e) {
            failure.addSuppressed(e); // a report must never hide the failure
        }
        try {
            NodeLogs.attach(context, network, failure);
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
        if (KeepOnFailure.enabled()) {
            try {
                KeepOnFailure.keep(context, network);
            } catch (java.io.IOException | RuntimeException e) {
                failure.addSuppressed(e);
            }
        }
        return failure;
    }

    /** The network of this scope: the closest one already stored, or a new one in this context. */
    private static Network network(ExtensionContext context) {
        ExtensionContext.Store store = context.getStore(NAMESPACE);
        Stored<?> stored = store.get(NETWORK, Stored.class);
        if (stored != null) {
            return (Network) stored.value();
        }
        IsolatedNetwork config = config(context);
        Network network = Network.builder()
                .subnet(config == null ? "" : config.subnet())
                .nat(config == null || config.nat())
                .build();
        store.put(NETWORK, new Stored<>(network));
        return network;
    }

    private static Node node(ExtensionContext context, Network network, NodeSpec spec) {
        Node node = network.addNode(spec);
        context.getStore(NAMESPACE).put(new Object(), new Stored<>(node));
        return node;
    }

    private static void inject(Field field, Object instance, Node node) {
        try {
            field.setAccessible(true);
            field.set(instance, node);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new ExtensionConfigurationException("cannot set @Container field [" + field + "]", e);
        }
    }

    /** Passes JUnit's configuration parameters to Isonet's settings, and checks them before anything is created. */
    private static void configureSettings(ExtensionContext context) {
        Settings.configure(context::getConfigurationParameter);
        try {
            Settings.check();
        } catch (IllegalArgumentException e) {
            throw new ExtensionConfigurationException("Isonet: " + e.getMessage() + ".", e);
        }
    }

    /** Fixed addresses need the fixed subnet they lie in; checked before anything is created. */
    private static void checkAddresses(ExtensionContext context, List<Field> fields) {
        IsolatedNetwork config = config(context);
        for (Field field : fields) {
            NodeSpec spec = ContainerFields.spec(field);
            if (spec.address() == null) {
                continue;
            }
            String address = spec.address().getHostAddress();
            if (config == null || config.subnet().isBlank()) {
                throw new ExtensionConfigurationException("@Container field [" + field + "]: address " + address
                        + " needs a fixed subnet: write @IsolatedNetwork(subnet = \"...\"); the pool's subnets are not"
                        + " known in advance.");
            }
            try {
                Network.checkAddress(config.subnet(), spec);
            } catch (IllegalArgumentException e) {
                throw new ExtensionConfigurationException("@Container field [" + field + "]: " + e.getMessage() + ".");
            }
        }
    }

    /** Checks the closest @IsolatedNetwork's attributes before anything is created. */
    private static void checkConfig(ExtensionContext context) {
        IsolatedNetwork config = config(context);
        if (config == null || config.subnet().isBlank()) {
            return;
        }
        try {
            Network.checkSubnet(config.subnet());
        } catch (IllegalArgumentException e) {
            AnnotatedElement where = context.getTestMethod().filter(m -> find(m).isPresent())
                    .map(m -> (AnnotatedElement) m).orElse(context.getRequiredTestClass());
            throw new ExtensionConfigurationException("@IsolatedNetwork(subnet = \"" + config.subnet() + "\") on ["
                    + where + "]: " + e.getMessage() + ".");
        }
    }

    /** The closest @IsolatedNetwork: on the method, its class, or an enclosing class (also as meta-annotation). */
    private static IsolatedNetwork config(ExtensionContext context) {
        Optional<IsolatedNetwork> onMethod = context.getTestMethod().flatMap(m -> find(m));
        if (onMethod.isPresent()) {
            return onMethod.get();
        }
        for (Class<?> c = context.getTestClass().orElse(null); c != null; c = c.getEnclosingClass()) {
            Optional<IsolatedNetwork> found = find(c);
            if (found.isPresent()) {
                return found.get();
            }
        }
        return null;
    }

    private static Optional<IsolatedNetwork> find(AnnotatedElement element) {
        return AnnotationSupport.findAnnotation(element, IsolatedNetwork.class);
    }

    /** A network or node in a store: JUnit closes it with the context, newest first. */
    @SuppressWarnings("deprecation")
    record Stored<T extends AutoCloseable>(T value) implements ExtensionContext.Store.CloseableResource,
            AutoCloseable {
        /** Closes it; for nodes and networks, then checks that no JVM thread stayed inside a closed node. */
        @Override
        public void close() throws Exception {
            List<Node> nodes = value instanceof Network network ? network.nodes()
                    : value instanceof Node node ? List.of(node) : List.of();
            value.close();
            StrandedThreads.check(nodes);
        }
    }
}
