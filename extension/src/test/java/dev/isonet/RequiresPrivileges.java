package dev.isonet;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A test that builds networks, so it needs CAP_NET_ADMIN and CAP_SYS_ADMIN (root). Without them it fails,
 * as it should in CI, unless {@value #SKIP} is {@code true} (a system property or a JUnit configuration
 * parameter): then it is skipped, with the reason. Contributors without root run the rest with
 * {@code mvn -B verify -pl extension -Disonet.test.skipWithoutPrivileges=true}.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@ExtendWith(RequiresPrivileges.Condition.class)
public @interface RequiresPrivileges {
    /** Opt-in: a CI that lost its privileges by mistake fails instead of passing with everything skipped. */
    String SKIP = "isonet.test.skipWithoutPrivileges";

    /** Skips the test without privileges, where {@value #SKIP} says so. */
    final class Condition implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            String problem = Privileges.problem();
            if (problem == null) {
                return ConditionEvaluationResult.enabled("has CAP_NET_ADMIN and CAP_SYS_ADMIN");
            }
            boolean skip = Boolean.parseBoolean(System.getProperty(SKIP,
                    context.getConfigurationParameter(SKIP).orElse("false")));
            return skip
                    ? ConditionEvaluationResult.disabled("needs root, and " + SKIP + "=true: " + problem)
                    : ConditionEvaluationResult.enabled("fails without privileges: " + SKIP + " is not true");
        }
    }
}
