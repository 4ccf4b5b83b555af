package io.ulm.interest;

/** OpenAPI examples of the interest endpoints (MovieLens titles and tags; figures in docs/interests.md). */
final class InterestExamples {

    private InterestExamples() {
    }

    static final String INTERESTS = """
            {"userId": "336",
             "keywords": [{"term": "pixar", "score": 0.2308, "count": 2, "df": 4},
                          {"term": "stiller", "score": 0.2308, "count": 2, "df": 4},
                          {"term": "cult", "score": 0.2236, "count": 2, "df": 5},
                          {"term": "superhero", "score": 0.1995, "count": 2, "df": 10},
                          {"term": "animation", "score": 0.1546, "count": 2, "df": 33}],
             "documents": 610, "statisticsAt": "2026-03-01T10:15:00Z",
             "topicModel": 3,
             "topics": [{"topic": 14, "weight": 0.1843, "words": ["movie", "man", "son", "father", "best"]},
                        {"topic": 16, "weight": 0.1207, "words": ["comedy", "dark", "black", "funny", "brother"]}],
             "related": {"categories": "/v1/users/336/features"}}""";

    static final String UNKNOWN_USER = """
            {"type": "/problems/unknown-user", "title": "Unknown user", "status": 404,
             "detail": "No user with id 'bob' has sent any message", "instance": "/v1/users/bob/interests", "userId": "bob"}""";

    static final String TOPICS = """
            {"model": {"id": 3, "k": 20, "alpha": 0.1, "beta": 0.01, "iterations": 1000, "seed": 42, "documents": 8494,
                       "vocabulary": 3507, "tokens": 21886, "logLikelihoodPerToken": -8.603, "coherence": -147.5,
                       "fittedAt": "2026-03-01T10:15:00Z"},
             "topics": [{"topic": 14, "share": 0.046, "words": [{"word": "movie", "weight": 0.086}, {"word": "man", "weight": 0.0396},
                          {"word": "disney", "weight": 0.0174}, {"word": "animation", "weight": 0.0164}]},
                        {"topic": 19, "share": 0.055, "words": [{"word": "war", "weight": 0.0534}, {"word": "bad", "weight": 0.0429},
                          {"word": "star", "weight": 0.0389}, {"word": "space", "weight": 0.0348}]}]}""";

    static final String NO_MODEL = """
            {"model": null, "topics": []}""";

    static final String FIT_REQUEST = """
            {"topics": 20, "alpha": 0.1, "beta": 0.01, "iterations": 1000, "seed": 42}""";

    static final String FIT_RUNNING = """
            {"id": 4, "state": "RUNNING", "trigger": "api", "topics": 20, "alpha": 0.1, "beta": 0.01, "iterations": 1000, "seed": 42,
             "iterationsDone": 350, "progress": 0.35, "documents": null, "vocabulary": null, "tokens": null,
             "logLikelihoodPerToken": null, "coherence": null, "error": null, "requestedAt": "2026-03-01T10:14:58Z",
             "updatedAt": "2026-03-01T10:15:01Z", "finishedAt": null}""";

    static final String FIT_DONE = """
            {"id": 4, "state": "DONE", "trigger": "api", "topics": 20, "alpha": 0.1, "beta": 0.01, "iterations": 1000, "seed": 42,
             "iterationsDone": 1000, "progress": 1.0, "documents": 8494, "vocabulary": 3507, "tokens": 21886,
             "logLikelihoodPerToken": -8.603, "coherence": -147.5, "error": null, "requestedAt": "2026-03-01T10:14:58Z",
             "updatedAt": "2026-03-01T10:15:03Z", "finishedAt": "2026-03-01T10:15:03Z"}""";

    static final String FIT_CONFLICT = """
            {"type": "/problems/fit-running", "title": "A topic fit is running", "status": 409,
             "detail": "Fit 4 is running; follow it with GET /v1/admin/topics/fit/{id}", "instance": "/v1/admin/topics/fit", "fit": 4}""";

    static final String BAD_PARAMETER = """
            {"type": "/problems/invalid-parameter", "title": "Invalid topic model parameter", "status": 400,
             "detail": "topics must be between 2 and 500, not 1", "instance": "/v1/admin/topics/fit"}""";

    static final String UNKNOWN_FIT = """
            {"type": "/problems/unknown-fit", "title": "Unknown topic fit", "status": 404, "detail": "No topic fit 99",
             "instance": "/v1/admin/topics/fit/99", "fit": 99}""";

    static final String NO_FIT = """
            {"type": "/problems/unknown-fit", "title": "No topic fit yet", "status": 404,
             "detail": "No topic model has been fitted; start one with POST /v1/admin/topics/fit", "instance": "/v1/admin/topics/fit"}""";

    static final String UNKNOWN_MODEL = """
            {"type": "/problems/unknown-model", "title": "Unknown topic model", "status": 404,
             "detail": "No finished topic model 99", "instance": "/v1/topics", "model": 99}""";
}
