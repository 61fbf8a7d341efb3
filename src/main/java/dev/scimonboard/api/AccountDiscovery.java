package dev.scimonboard.api;

import static dev.scimonboard.Logs.line;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scimonboard.PermanentFailure;
import dev.scimonboard.Settings;
import dev.scimonboard.TransientFailure;
import dev.scimonboard.cloudflare.AccountPage;
import dev.scimonboard.cloudflare.CloudflareAccount;
import dev.scimonboard.status.DesiredState;
import dev.scimonboard.status.StatusConflict;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Collectors;

/**
 * Finds the Cloudflare accounts that should be onboarded and have never been, and starts their onboarding exactly
 * as a PUT would. Off unless {@code DISCOVERY_ACCOUNT_NAME_PATTERN} is set. An account that has an onboarding, in
 * whatever state, is left alone: discovery only ever adds.
 *
 * <p>Runs may overlap (a slow run and the next one, or two instances): starting an onboarding is idempotent, so the
 * second start of an account finds the first one's onboarding and starts nothing.
 */
public final class AccountDiscovery {
    /** The setting that turns discovery on: a regular expression that account names must contain a match of. */
    public static final String NAME_PATTERN_SETTING = "DISCOVERY_ACCOUNT_NAME_PATTERN";
    /** The optional setting that limits discovery to some account ids, comma-separated. */
    public static final String ALLOWLIST_SETTING = "DISCOVERY_ACCOUNT_ALLOWLIST";
    /** The optional setting that names the groups every discovered account is assigned, comma-separated. */
    public static final String DEFAULT_GROUPS_SETTING = "DISCOVERY_DEFAULT_GROUPS";
    /** The reference every discovered onboarding carries, so that its origin shows on its status. */
    public static final String REFERENCE = "discovery";
    /** Accounts per page: the most Cloudflare gives, so the fewest requests. */
    static final int PAGE_SIZE = 50;
    /**
     * The least time between two page requests. Cloudflare allows 1,200 requests per five minutes per user, about
     * four a second, and the onboarding steps spend the same budget; discovery keeps to at most four pages a second.
     */
    static final Duration PAGE_INTERVAL = Duration.ofMillis(250);

    private static final Logger LOG = Logger.getLogger(AccountDiscovery.class.getName());
    private static final Pattern ACCOUNT_ID = Pattern.compile("[0-9a-f]{32}");

    private final Settings settings;
    private final AccountPages pages;
    private final Predicate<String> known;
    private final Onboarder onboarder;
    private final Clock clock;
    private final Pause pause;

    /** Reads one page of the accounts the Cloudflare token can see. */
    @FunctionalInterface
    public interface AccountPages {
        /**
         * A page of accounts.
         *
         * @param page the page, from 1
         * @param perPage accounts per page
         * @return the page
         */
        AccountPage page(int page, int perPage);
    }

    /** Starts an onboarding as a PUT does. */
    @FunctionalInterface
    public interface Onboarder {
        /**
         * Starts the onboarding of an account, unless one is under way.
         *
         * @param accountId the account
         * @param desired the desired state
         * @return whether this call started it; false when another start got there first
         */
        boolean start(String accountId, DesiredState desired);
    }

    /** Waits between page requests. */
    @FunctionalInterface
    public interface Pause {
        /**
         * Waits.
         *
         * @param duration how long
         * @throws InterruptedException when the host is stopping
         */
        void pause(Duration duration) throws InterruptedException;
    }

    /** How a run ended. */
    public enum Ending {
        /** Discovery is off: no name pattern is set. */
        OFF,
        /** A discovery setting is invalid; nothing was discovered. */
        MISCONFIGURED,
        /** Every page was read. */
        COMPLETE,
        /** Cloudflare refused or failed a page (its rate limit, an outage); the next run starts over. */
        STOPPED
    }

    /**
     * What a run did.
     *
     * @param ending how it ended
     * @param pages pages read
     * @param matched accounts that passed the name pattern and the allow-list
     * @param started onboardings this run started
     * @param existing matching accounts left alone because they had an onboarding already
     */
    public record Outcome(Ending ending, int pages, int matched, int started, int existing) {
    }

    /**
     * Which accounts discovery onboards, and with what.
     *
     * @param namePattern account names must contain a match of it
     * @param allowlist when not empty, only these account ids
     * @param desired the desired state of every discovered onboarding: the default groups, reference "discovery"
     */
    public record Rules(Pattern namePattern, Set<String> allowlist, DesiredState desired) {

        /** Copies the allow-list. */
        public Rules {
            allowlist = Set.copyOf(allowlist);
        }

        /**
         * Reads the rules from the app settings.
         *
         * @param settings the app settings
         * @return the rules, or empty when discovery is off (no name pattern)
         * @throws IllegalArgumentException when a discovery setting is invalid; the message names it and says why
         */
        public static Optional<Rules> from(Settings settings) {
            Optional<String> pattern = settings.optional(NAME_PATTERN_SETTING);
            if (pattern.isEmpty()) {
                return Optional.empty();
            }
            Pattern namePattern;
            try {
                namePattern = Pattern.compile(pattern.get());
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("The app setting " + NAME_PATTERN_SETTING + " is not a valid "
                    + "regular expression: " + e.getDescription() + " near index " + e.getIndex() + ".", e);
            }
            List<String> allowlist = list(settings.optional(ALLOWLIST_SETTING));
            List<String> badIds = allowlist.stream().filter(id -> !ACCOUNT_ID.matcher(id).matches()).toList();
            if (!badIds.isEmpty()) {
                throw new IllegalArgumentException("The app setting " + ALLOWLIST_SETTING + " must list Cloudflare "
                    + "account ids (32 lower-case hexadecimal characters), separated by commas; these are not: "
                    + badIds.stream().map(id -> OnboardingRequests.printable(id, 40)).toList() + ".");
            }
            return Optional.of(new Rules(namePattern, new LinkedHashSet<>(allowlist),
                desiredState(list(settings.optional(DEFAULT_GROUPS_SETTING)))));
        }

        /**
         * Tells whether an account is one to onboard.
         *
         * @param account the account as listed
         * @return whether its name matches and the allow-list, if any, names it
         */
        public boolean admits(CloudflareAccount account) {
            return namePattern.matcher(account.name()).find()
                && (allowlist.isEmpty() || allowlist.contains(account.id()));
        }

        /** The default groups validated exactly as a PUT's groups are. */
        private static DesiredState desiredState(List<String> groups) {
            ObjectNode body = OnboardingRequests.JSON.createObjectNode();
            ArrayNode ids = body.putArray("groups");
            groups.forEach(ids::add);
            body.put("reference", REFERENCE);
            try {
                return OnboardingRequests.desiredState(body);
            } catch (InvalidRequest e) {
                String why = e.problem().errors().stream()
                    .map(error -> error.pointer().replace("/groups/", "entry ") + ": " + error.detail())
                    .collect(Collectors.joining("; "));
                throw new IllegalArgumentException("The app setting " + DEFAULT_GROUPS_SETTING + " must list Entra "
                    + "group object ids, separated by commas: " + why + ".", e);
            }
        }

        private static List<String> list(Optional<String> setting) {
            return setting.map(text -> Arrays.stream(text.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .toList()).orElse(List.of());
        }
    }

    /**
     * Creates the discovery.
     *
     * @param settings the app settings, read at every run
     * @param pages Cloudflare's account list
     * @param known tells whether an account has an onboarding, in any state
     * @param onboarder starts an onboarding as a PUT does
     * @param clock the clock, for pacing
     * @param pause waits between page requests
     */
    public AccountDiscovery(Settings settings, AccountPages pages, Predicate<String> known, Onboarder onboarder,
        Clock clock, Pause pause) {
        this.settings = settings;
        this.pages = pages;
        this.known = known;
        this.onboarder = onboarder;
        this.clock = clock;
        this.pause = pause;
    }

    /**
     * One run: reads the settings, pages through the accounts and starts the onboarding of each matching account
     * that has none. Cloudflare's rate limit, or any failure to read a page, ends the run early and cleanly.
     *
     * @param runId the run's id, for the log
     * @return what the run did
     * @throws RuntimeException when the status table cannot be reached; the next run tries again
     */
    public Outcome run(String runId) {
        Rules rules;
        try {
            Optional<Rules> configured = Rules.from(settings);
            if (configured.isEmpty()) {
                LOG.info(line("account discovery is off: " + NAME_PATTERN_SETTING + " is not set; nothing to do",
                    "runId", runId));
                return new Outcome(Ending.OFF, 0, 0, 0, 0);
            }
            rules = configured.get();
        } catch (IllegalArgumentException e) {
            LOG.severe(line("account discovery cannot run; nothing discovered. " + e.getMessage(), "runId", runId));
            return new Outcome(Ending.MISCONFIGURED, 0, 0, 0, 0);
        }

        LOG.info(line("account discovery run started", "runId", runId, "pattern", rules.namePattern().pattern(),
            "allowlist", rules.allowlist().size()));
        Counts counts = new Counts();
        Ending ending = discover(rules, runId, counts);
        LOG.info(line("account discovery run finished", "runId", runId,
            "ending", ending.name().toLowerCase(Locale.ROOT), "pages", counts.pages, "matched", counts.matched,
            "started", counts.started, "existing", counts.existing));
        return new Outcome(ending, counts.pages, counts.matched, counts.started, counts.existing);
    }

    private Ending discover(Rules rules, String runId, Counts counts) {
        Instant lastRequest = null;
        for (int number = 1; ; number++) {
            try {
                lastRequest = paced(lastRequest);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                LOG.info(line("account discovery interrupted; the next run starts over", "runId", runId));
                return Ending.STOPPED;
            }
            AccountPage page;
            try {
                page = pages.page(number, PAGE_SIZE);
            } catch (TransientFailure e) {
                LOG.warning(line(e.httpStatus() == 429
                    ? "Cloudflare's rate limit reached; this run stops here and the next run starts over"
                    : "Cloudflare could not list accounts; this run stops here and the next run starts over",
                    "runId", runId, "page", number, "reason", e.getMessage()));
                return Ending.STOPPED;
            } catch (PermanentFailure e) {
                LOG.severe(line("Cloudflare refused to list accounts; discovery cannot work until this is fixed",
                    "runId", runId, "page", number, "reason", e.getMessage()));
                return Ending.STOPPED;
            }
            counts.pages++;
            for (CloudflareAccount account : page.accounts()) {
                if (rules.admits(account)) {
                    counts.matched++;
                    onboard(account, rules, runId, counts);
                }
            }
            if (page.last()) {
                return Ending.COMPLETE;
            }
        }
    }

    /** Waits until the page interval has passed since the last request; answers the time of this request. */
    private Instant paced(Instant lastRequest) throws InterruptedException {
        if (lastRequest != null) {
            Duration wait = PAGE_INTERVAL.minus(Duration.between(lastRequest, clock.instant()));
            if (!wait.isNegative() && !wait.isZero()) {
                pause.pause(wait);
            }
        }
        return clock.instant();
    }

    private void onboard(CloudflareAccount account, Rules rules, String runId, Counts counts) {
        if (!ACCOUNT_ID.matcher(account.id()).matches()) {
            LOG.warning(line("Cloudflare listed an account whose id is not 32 hexadecimal characters; skipped",
                "runId", runId, "accountId", OnboardingRequests.printable(account.id(), 40)));
            return;
        }
        if (known.test(account.id())) {
            counts.existing++;
            return;
        }
        try {
            if (onboarder.start(account.id(), rules.desired())) {
                counts.started++;
                LOG.info(line("account discovered; onboarding started", "runId", runId, "accountId", account.id()));
            } else {
                // Another run (or a PUT) started it between the look and the start.
                counts.existing++;
                LOG.info(line("account discovered, but its onboarding was started meanwhile; nothing new started",
                    "runId", runId, "accountId", account.id()));
            }
        } catch (StatusConflict e) {
            LOG.warning(line("account discovered, but its status kept changing; the next run looks again",
                "runId", runId, "accountId", account.id()));
        }
    }

    /** The tallies of one run. */
    private static final class Counts {
        private int pages;
        private int matched;
        private int started;
        private int existing;
    }
}
