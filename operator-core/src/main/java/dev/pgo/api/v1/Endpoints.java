package dev.pgo.api.v1;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Connection strings (libpq URIs, no password) that follow the primary or prefer replicas. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Endpoints {
    private String readWrite;
    private String readOnly;

    public Endpoints() {
    }

    public Endpoints(String readWrite, String readOnly) {
        this.readWrite = readWrite;
        this.readOnly = readOnly;
    }

    public String getReadWrite() {
        return readWrite;
    }

    public void setReadWrite(String readWrite) {
        this.readWrite = readWrite;
    }

    public String getReadOnly() {
        return readOnly;
    }

    public void setReadOnly(String readOnly) {
        this.readOnly = readOnly;
    }
}
