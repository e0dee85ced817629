package dev.pgo.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * The least a Java program can do to list resources: one GET with the JDK's HTTP client, the
 * body printed. The floor `pgo show` against an API server is compared with when kubectl is
 * not installed.
 */
public final class HttpGet {
    private HttpGet() {
    }

    public static void main(String[] args) throws Exception {
        try (var client = HttpClient.newHttpClient()) {
            var response = client.send(HttpRequest.newBuilder(URI.create(args[0])).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            System.out.println(response.body());
            if (response.statusCode() != 200) {
                System.exit(1);
            }
        }
    }
}
