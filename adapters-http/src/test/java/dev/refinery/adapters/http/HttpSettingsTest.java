package dev.refinery.adapters.http;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HttpSettingsTest {

    @Test
    void theDefaultsAreOneMebibyteDepth64AndTokens() {
        HttpSettings d = HttpSettings.defaults();
        assertEquals(1024 * 1024, d.maxBodyBytes());
        assertEquals(64, d.maxJsonDepth());
        assertEquals(100, d.maxOutputs());
        assertEquals(AuthMode.TOKEN, d.authMode());
    }

    @Test
    void settingsAreReadFromConfigurationAndKeepTheirDefaultsOtherwise() {
        // given
        Config config = Config.just(ConfigSources.create(Map.of(
                "http.max-body-bytes", "2048", "http.max-json-depth", "10", "auth.mode", "none")));

        // when
        HttpSettings settings = HttpSettings.from(config);

        // then
        assertEquals(new HttpSettings(2048, 10, 100, AuthMode.NONE), settings);
        assertEquals(HttpSettings.defaults(), HttpSettings.from(Config.empty()));
    }

    @Test
    void anUnknownAuthModeIsRefused() {
        Config config = Config.just(ConfigSources.create(Map.of("auth.mode", "maybe")));
        assertThrows(IllegalArgumentException.class, () -> HttpSettings.from(config));
    }

    @Test
    void withoutAuthTheServerMayListenOnLoopbackOnly() {
        assertDoesNotThrow(() -> HttpSettings.validate("127.0.0.1", AuthMode.NONE));
        assertDoesNotThrow(() -> HttpSettings.validate("127.0.0.2", AuthMode.NONE));
        assertDoesNotThrow(() -> HttpSettings.validate("::1", AuthMode.NONE));
        assertDoesNotThrow(() -> HttpSettings.validate("localhost", AuthMode.NONE));

        for (String host : new String[]{"0.0.0.0", "::", "192.168.1.10", "10.0.0.1", "", " ", "no-such-host.invalid"}) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> HttpSettings.validate(host, AuthMode.NONE), host);
            assertTrue(e.getMessage().contains("auth.mode=none"), e.getMessage());
        }
        assertThrows(IllegalStateException.class, () -> HttpSettings.validate(null, AuthMode.NONE));
    }

    @Test
    void withTokensTheServerMayListenAnywhere() {
        assertDoesNotThrow(() -> HttpSettings.validate("0.0.0.0", AuthMode.TOKEN));
        assertDoesNotThrow(() -> HttpSettings.validate("192.168.1.10", AuthMode.TOKEN));
    }

    @Test
    void limitsMustBeSensible() {
        assertThrows(IllegalArgumentException.class, () -> new HttpSettings(0, 64, 100, AuthMode.TOKEN));
        assertThrows(IllegalArgumentException.class, () -> new HttpSettings(1024, 1, 100, AuthMode.TOKEN));
        assertThrows(IllegalArgumentException.class, () -> new HttpSettings(1024, 64, 0, AuthMode.TOKEN));
    }

    @Test
    void browserRulesAndConcurrencyBoundsAreReadFromConfiguration() {
        // given
        Config config = Config.just(ConfigSources.create(Map.of(
                "http.allowed-hosts", " refinery.example.com, Other.Example. ,",
                "http.allowed-origins", "https://console.example.com, http://localhost:3000/",
                "http.max-concurrent-requests", "7", "http.max-connections", "9")));

        // when
        HttpSettings settings = HttpSettings.from(config);

        // then
        assertEquals(Set.of("refinery.example.com", "other.example"), settings.allowedHosts());
        assertEquals(Set.of("https://console.example.com", "http://localhost:3000"), settings.allowedOrigins());
        assertEquals(7, settings.maxConcurrentRequests());
        assertEquals(9, settings.maxConnections());
        assertEquals(Set.of(), HttpSettings.defaults().allowedHosts());
        assertEquals(128, HttpSettings.defaults().maxConcurrentRequests());
        assertEquals(512, HttpSettings.defaults().maxConnections());
    }

    @Test
    void aHostWithAPortOrAnOriginThatIsNoOriginIsRefusedAtStart() {
        for (String host : new String[]{"refinery.example:8080", "https://refinery.example", "a/b"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> HttpSettings.defaults().withBrowserAccess(Set.of(host), Set.of()), host);
            assertTrue(e.getMessage().contains("allowed-hosts"), e.getMessage());
        }
        for (String origin : new String[]{"*", "console.example", "https://console.example/app", "ftp://x.example", "null"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> HttpSettings.defaults().withBrowserAccess(Set.of(), Set.of(origin)), origin);
            assertTrue(e.getMessage().contains("allowed-origins"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> HttpSettings.defaults().withConcurrency(0, 10));
        assertThrows(IllegalArgumentException.class, () -> HttpSettings.defaults().withConcurrency(10, 0));
    }
}
