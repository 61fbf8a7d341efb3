package dev.scimonboard.callback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scimonboard.Settings;
import java.net.InetAddress;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CallbackUrlTest {
    private static final CallbackHosts ALLOWED = CallbackHosts.parse("hooks.example.com, *.service-now.com");

    @Test
    void anHttpsUrlOnAnAllowedHostIsKeptWithItsPortPathAndQuery() {
        CallbackUrl url = CallbackUrl.parse("HTTPS://Hooks.Example.com:8443/scim/ended?ticket=RITM1", ALLOWED);

        assertEquals("https://hooks.example.com:8443/scim/ended?ticket=RITM1", url.url());
        assertEquals("hooks.example.com", url.host());
        assertTrue(url.listedExactly());
    }

    @Test
    void aWildcardAllowsHostsBelowItsSuffixButNotTheSuffixItself() {
        CallbackUrl below = CallbackUrl.parse("https://contoso.service-now.com/api/x_scim/ended", ALLOWED);

        assertFalse(below.listedExactly(), "a wildcard host must resolve to public addresses");
        assertTrue(ALLOWED.allows("a.b.service-now.com"));
        assertFalse(ALLOWED.allows("service-now.com"));
        assertFalse(ALLOWED.allows("evilservice-now.com"));
        assertFalse(ALLOWED.allows("hooks.example.com.evil.org"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "http://hooks.example.com/ended",
        "ftp://hooks.example.com/ended",
        "https://user:pw@hooks.example.com/ended",
        "https://hooks.example.com/ended#fragment",
        "https://hooks.example.com./ended",
        "https:///ended",
        "https://hooks example.com/ended",
        "https://hooks_example.com/ended",
        "//hooks.example.com/ended",
        "not a url"})
    void anythingButAPlainHttpsUrlIsRefusedWithWhatToWrite(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CallbackUrl.parse(text,
            ALLOWED), text);

        assertFalse(e.getMessage().isBlank());
    }

    @Test
    void aHostThatIsNotAllowedIsRefusedNamingTheAllowedOnesAndTheSetting() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> CallbackUrl.parse("https://hooks.elsewhere.org/ended", ALLOWED));

        assertTrue(e.getMessage().contains("hooks.elsewhere.org"), e.getMessage());
        assertTrue(e.getMessage().contains("hooks.example.com, *.service-now.com"), e.getMessage());
        assertTrue(e.getMessage().contains("CALLBACK_ALLOWED_HOSTS"), e.getMessage());
    }

    @Test
    void withoutAllowedHostsNoCallbackIsAcceptedAndTheErrorNamesTheSetting() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> CallbackUrl.parse("https://hooks.example.com/ended", CallbackHosts.NONE));

        assertTrue(e.getMessage().contains("CALLBACK_ALLOWED_HOSTS"), e.getMessage());
        assertTrue(CallbackHosts.parse(" , ").isEmpty());
        assertTrue(CallbackHosts.parse(Settings.of(Map.of()).callbackAllowedHosts()).isEmpty());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "https://127.0.0.1/ended",
        "https://10.0.0.5:8443/ended",
        "https://169.254.169.254/metadata",
        "https://[::1]/ended",
        "https://[fd00::1]/ended",
        "https://2130706433/ended",
        "https://0x7f.1/ended",
        "https://1.2.3.4.5/ended",
        "https://localhost/ended",
        "https://api.localhost/ended"})
    void addressesAndLocalhostAreRefused(String text) {
        CallbackHosts wide = CallbackHosts.parse("*.example.com, hooks.example.com");

        assertThrows(IllegalArgumentException.class, () -> CallbackUrl.parse(text, wide), text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://127.0.0.1:9443/ended", "https://10.0.0.5/ended", "https://[::1]/ended",
        "https://localhost/ended"})
    void anAddressOrLocalhostListedExactlyIsAllowed(String text) {
        String host = java.net.URI.create(text).getHost();

        CallbackUrl listed = CallbackUrl.parse(text, CallbackHosts.parse("hooks.example.com, " + host));

        assertTrue(listed.listedExactly(), text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"*", "*.com", "https://hooks.example.com", "hooks.example.com/path", "*.*.example.com",
        "hooks..example.com", "-hooks.example.com"})
    void aSettingEntryThatIsNoHostOrWildcardIsRefusedNamingIt(String entry) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> CallbackHosts.parse("hooks.example.com," + entry));

        assertTrue(e.getMessage().contains("CALLBACK_ALLOWED_HOSTS"), e.getMessage());
    }

    @Test
    void internalAddressesAreRecognisedForHostsAllowedThroughAWildcard() throws Exception {
        for (String internal : new String[] {"127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254",
            "100.64.0.1", "0.0.0.0", "::1", "fd00::1", "fe80::1", "::ffff:10.0.0.1"}) {
            assertTrue(CallbackClient.isInternal(InetAddress.getByName(internal)), internal);
        }
        for (String external : new String[] {"8.8.8.8", "100.128.0.1", "2606:4700:4700::1111"}) {
            assertFalse(CallbackClient.isInternal(InetAddress.getByName(external)), external);
        }
    }
}
