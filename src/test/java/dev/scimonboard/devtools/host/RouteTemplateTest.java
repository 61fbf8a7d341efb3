package dev.scimonboard.devtools.host;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RouteTemplateTest {

    @Test
    void parameterTakesOneSegment() {
        RouteTemplate template = RouteTemplate.parse("onboardings/{accountId}");

        assertEquals(Optional.of(Map.of("accountId", "0123abcd")), template.match("onboardings/0123abcd"));
        assertTrue(template.match("onboardings").isEmpty());
        assertTrue(template.match("onboardings/a/b").isEmpty());
    }

    @Test
    void literalTextMatchesWithoutRegardToCase() {
        assertTrue(RouteTemplate.parse("onboardings").match("OnBoardings").isPresent());
        assertTrue(RouteTemplate.parse("onboardings").match("onboarding").isEmpty());
    }

    @Test
    void optionalLastSegmentMayBeLeftOut() {
        RouteTemplate template = RouteTemplate.parse("items/{id}/{part?}");

        assertEquals(Optional.of(Map.of("id", "7")), template.match("items/7"));
        assertEquals(Optional.of(Map.of("id", "7", "part", "x")), template.match("items/7/x"));
    }

    @Test
    void constraintTextIsIgnored() {
        RouteTemplate template = RouteTemplate.parse("hello/{name:alpha}/{code:regex(^\\d{3}$)}");

        assertEquals(Optional.of(Map.of("name", "abc", "code", "123")), template.match("hello/abc/123"));
    }

    @Test
    void catchAllTakesTheRest() {
        assertEquals(Optional.of(Map.of("rest", "a/b/c")), RouteTemplate.parse("files/{*rest}").match("files/a/b/c"));
    }

    @Test
    void parameterMayShareASegmentWithText() {
        assertEquals(Optional.of(Map.of("name", "report")), RouteTemplate.parse("docs/{name}.json")
            .match("docs/report.json"));
    }

    @Test
    void literalRouteWithADotMatchesOnlyItselfBesideACatchAll() {
        RouteTemplate document = RouteTemplate.parse("openapi.json");
        RouteTemplate onboardings = RouteTemplate.parse("onboardings/{*accountId}");

        assertEquals(Optional.of(Map.of()), document.match("openapi.json"));
        assertTrue(document.match("openapiXjson").isEmpty());
        assertTrue(onboardings.match("openapi.json").isEmpty());
        assertTrue(document.match("onboardings/openapi.json").isEmpty());
        assertEquals(Optional.of(Map.of("accountId", "openapi.json")), onboardings.match("onboardings/openapi.json"));
    }

    @Test
    void literalRoutesAreMoreSpecific() {
        assertTrue(RouteTemplate.parse("items/search").literalLength()
            > RouteTemplate.parse("items/{id}").literalLength());
    }
}
