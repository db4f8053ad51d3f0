package io.gatehouse.core.token.keys;

import io.gatehouse.core.model.SigningAlg;

/** Where key state changes are reported (the audit log), naming who made them: the CLI, the schedule, a node. */
@FunctionalInterface
public interface KeyEvents {
    /** @param change e.g. "created as next", "promoted to active", "retired", "removed", "imported as active" */
    void keyChanged(String kid, SigningAlg alg, String change, String actor);

    static KeyEvents none() {
        return (kid, alg, change, actor) -> { };
    }
}
