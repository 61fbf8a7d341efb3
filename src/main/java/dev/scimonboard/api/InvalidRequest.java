package dev.scimonboard.api;

/** A request that does not validate; carries the problem to answer with. */
final class InvalidRequest extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient Problem problem;

    InvalidRequest(Problem problem) {
        super(problem.detail());
        this.problem = problem;
    }

    Problem problem() {
        return problem;
    }
}
