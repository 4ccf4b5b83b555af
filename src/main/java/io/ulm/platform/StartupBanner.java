package io.ulm.platform;

import io.quarkus.runtime.StartupEvent;
import io.ulm.platform.security.ApiKeys;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.util.Optional;

/** Tells a newcomer where the service listens, which database it uses and which API keys work. */
@ApplicationScoped
public class StartupBanner {

    private static final Logger LOG = Logger.getLogger(StartupBanner.class);

    void print(@Observes @Priority(100) StartupEvent event, ApiKeys keys,
               @ConfigProperty(name = "quarkus.http.host", defaultValue = "localhost") String host,
               @ConfigProperty(name = "quarkus.http.port", defaultValue = "8080") int port,
               @ConfigProperty(name = "quarkus.datasource.jdbc.url") Optional<String> jdbcUrl, UlmConfig config) {
        boolean embedded = config.embedded().enabled();
        String base = "http://" + ("0.0.0.0".equals(host) ? "localhost" : host) + ":" + port;
        StringBuilder text = new StringBuilder("\n\n  ULM is running at ").append(base)
                .append("\n  OpenAPI: ").append(base).append("/q/openapi   Swagger UI: ").append(base).append("/q/swagger-ui")
                .append("\n  Database: ").append(jdbcUrl.orElse("?")).append(embedded ? " (embedded PostgreSQL)" : "")
                .append("\n  API keys").append(keys.development() ? " (development defaults; configure ulm.security.keys in production)" : "").append(':');
        for (ApiKeys.Key key : keys.keys()) {
            text.append("\n    ").append(key.name()).append(": ")
                    .append(keys.development() ? key.secret() : "********").append("  roles ").append(key.roles());
        }
        LOG.info(text.append('\n'));
    }
}
