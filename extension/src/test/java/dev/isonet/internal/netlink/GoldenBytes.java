package dev.isonet.internal.netlink;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.nio.ByteOrder;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A class of golden-byte tests: netlink integers are host-endian and the expected bytes are little-endian, so
 * its tests are skipped on a big-endian host.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(GoldenBytes.LittleEndian.class)
public @interface GoldenBytes {
    /** Runs the tests only on a little-endian host. */
    final class LittleEndian implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            return ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN
                    ? ConditionEvaluationResult.enabled("little-endian host")
                    : ConditionEvaluationResult.disabled("golden bytes are little-endian");
        }
    }
}
