package dev.pgo.testing;

import dev.pgo.sql.RoleAttributes;
import dev.pgo.sql.RoleFlag;

import java.util.EnumMap;

/** Roles as ClusterCatalog reads them from pg_roles, for tests. */
public final class ObservedRoles {
    private ObservedRoles() {
    }

    /** Every flag present, as pg_roles has them all; the listed ones on. */
    public static RoleAttributes withFlags(RoleFlag... on) {
        var flags = new EnumMap<RoleFlag, Boolean>(RoleFlag.class);
        for (RoleFlag flag : RoleFlag.values()) {
            flags.put(flag, false);
        }
        for (RoleFlag flag : on) {
            flags.put(flag, true);
        }
        return new RoleAttributes(flags);
    }
}
