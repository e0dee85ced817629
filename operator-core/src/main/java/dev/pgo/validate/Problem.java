package dev.pgo.validate;

/** One thing wrong with a spec: where (a field path such as spec.users.app) and what. */
public record Problem(String field, String message) {
    @Override
    public String toString() {
        return field + ": " + message;
    }
}
