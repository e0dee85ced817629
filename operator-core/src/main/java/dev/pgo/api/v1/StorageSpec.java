package dev.pgo.api.v1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The data volume of each instance. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class StorageSpec {
    public static final String DEFAULT_SIZE = "1Gi";

    @JsonPropertyDescription("Size of each instance's volume as a Kubernetes quantity, e.g. 1Gi or 500Mi.")
    private String size = DEFAULT_SIZE;

    public StorageSpec() {
    }

    public StorageSpec(String size) {
        this.size = size;
    }

    public String getSize() {
        return size;
    }

    public void setSize(String size) {
        this.size = size;
    }
}
