package dev.scimonboard.status;

import java.util.List;

/**
 * One page of onboardings.
 *
 * @param items the onboardings on this page
 * @param continuation an opaque token for the next page, or null on the last page
 */
public record StatusPage(List<Onboarding> items, String continuation) {
    /** Copies the list. */
    public StatusPage {
        items = List.copyOf(items);
    }
}
