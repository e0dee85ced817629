package dev.pgo.sql;

import java.util.Collection;
import java.util.EnumMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The role attributes that were asked for (or observed): only flags present in the map are
 * compared, so a flag the user never mentioned is never changed.
 */
public record RoleAttributes(Map<RoleFlag, Boolean> flags) {
    public RoleAttributes {
        flags = flags.isEmpty() ? Map.of() : Map.copyOf(new EnumMap<>(flags));
    }

    /** Parses spec flags; unknown words are the validator's business and are skipped here. */
    public static RoleAttributes fromSpec(Collection<String> words) {
        var map = new EnumMap<RoleFlag, Boolean>(RoleFlag.class);
        for (String word : words) {
            RoleFlag.parse(word).ifPresent(s -> map.put(s.flag(), s.on()));
        }
        return new RoleAttributes(map);
    }

    /** The subset of {@code wanted} whose value differs from this (observed) role. */
    public RoleAttributes missing(RoleAttributes wanted) {
        var diff = new EnumMap<RoleFlag, Boolean>(RoleFlag.class);
        wanted.flags.forEach((flag, on) -> {
            if (!on.equals(flags.getOrDefault(flag, Boolean.FALSE))) {
                diff.put(flag, on);
            }
        });
        return new RoleAttributes(diff);
    }

    public boolean isEmpty() {
        return flags.isEmpty();
    }

    /** SQL keywords in a stable order, e.g. "LOGIN CREATEDB". */
    public String keywords() {
        if (flags.isEmpty()) {
            return "";
        }
        return new EnumMap<>(flags).entrySet().stream()
                .map(e -> e.getKey().keyword(e.getValue()))
                .collect(Collectors.joining(" "));
    }

    @Override
    public String toString() {
        return keywords();
    }
}
