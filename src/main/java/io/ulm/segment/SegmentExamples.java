package io.ulm.segment;

/** OpenAPI examples of the segment endpoints (figures from the Online Retail import, docs/segments.md). */
final class SegmentExamples {

    static final String SEGMENTS = """
            {"lastEvaluation": {"id": 1, "watermark": "2011-12-09T12:50:00+00:00", "trigger": "demand", "clustered": true,
              "startedAt": "2026-11-30T02:25:49.9+00:00", "finishedAt": "2026-11-30T02:25:57.4+00:00", "usersChanged": 4342,
              "entered": 14337, "left": 0, "skipped": []},
             "segments": [
              {"id": "rfm:champions", "family": "rfm", "name": "Champions", "definition": "R 5, F 4-5", "size": 632},
              {"id": "rule:big-spenders-uk", "family": "rule", "name": "Big spenders in the UK",
               "definition": "Customers whose country trait is United Kingdom, with a net revenue of 5,000 or more", "size": 219,
               "file": "projections/segments/big-spenders-uk.yaml", "version": "sha256:fa6798928953"},
              {"id": "cluster:kmeans:0", "family": "cluster", "name": "k-means cluster 0", "definition": "nearest to this centroid",
               "size": 2749, "cluster": {"algorithm": "kmeans", "label": 0, "description": {"centroid": {"recencyDays": 82.674,
               "frequency": 1.5674, "monetary": 344.0578, "tenureDays": 184.2685, "activityTrend": -0.044}}}}]}""";

    static final String CLUSTERS = """
            {"evaluation": 1, "watermark": "2011-12-09T12:50:00+00:00",
             "report": {"users": 4339, "features": ["recencyDays", "frequency", "monetary", "tenureDays", "activityTrend"],
              "transform": ["log1p", "log1p", "signed log1p", "none", "none (already a log ratio)"],
              "mean": [3.8008, 1.3455, 6.5302, 224.7004, 0.0428], "sd": [1.3836, 0.6831, 1.3881, 118.3485, 0.5448],
              "kmeans": {"k": 2, "silhouette": 0.3139, "silhouetteByK": {"2": 0.3139, "3": 0.3044, "4": 0.2688, "5": 0.2961,
               "6": 0.3057, "7": 0.3048, "8": 0.3037}},
              "dbscan": {"eps": 0.7, "minPts": 20, "clusters": 4, "outliers": 677, "fitted": 4339}},
             "kmeans": [
              {"segmentId": "cluster:kmeans:0", "size": 2749, "centroid": {"recencyDays": 82.674, "frequency": 1.5674,
               "monetary": 344.0578, "tenureDays": 184.2685, "activityTrend": -0.044}},
              {"segmentId": "cluster:kmeans:1", "size": 1590, "centroid": {"recencyDays": 14.1542, "frequency": 6.7025,
               "monetary": 2245.6199, "tenureDays": 294.6044, "activityTrend": 0.1927}}],
             "dbscan": [
              {"segmentId": "cluster:dbscan:0", "size": 2886, "medoidUserId": "16031",
               "medoid": {"recencyDays": 92.0, "frequency": 2.0, "monetary": 548.94, "tenureDays": 247.0, "activityTrend": 0.0}}]}""";

    static final String MEMBERS = """
            {"segmentId": "rfm:champions", "members": [
              {"userId": "12347", "since": "2011-12-09T12:50:00Z", "evaluation": 1, "reason": "R 5, F 5: Champions",
               "evidence": {"r": 5, "f": 5, "m": 5, "monetary": 4310.0000, "frequency": 7, "recencyDays": 2}}],
             "next": "12347"}""";

    static final String USER = """
            {"userId": "12347", "segments": [
              {"segmentId": "cluster:dbscan:0", "since": "2011-12-09T12:50:00Z", "evaluation": 1, "reason": "in DBSCAN dense region 0",
               "evidence": {"algorithm": "dbscan", "eps": 0.7, "minPts": 20, "recencyDays": 2.0, "frequency": 7.0,
               "monetary": 4310.0, "tenureDays": 367.0, "activityTrend": 0.0}},
              {"segmentId": "cluster:kmeans:1", "since": "2011-12-09T12:50:00Z", "evaluation": 1,
               "reason": "nearest k-means centroid: cluster 1 of 2", "evidence": {"algorithm": "kmeans", "k": 2, "recencyDays": 2.0,
               "frequency": 7.0, "monetary": 4310.0, "tenureDays": 367.0, "activityTrend": 0.0}},
              {"segmentId": "rfm:champions", "since": "2011-12-09T12:50:00Z", "evaluation": 1, "reason": "R 5, F 5: Champions",
               "evidence": {"r": 5, "f": 5, "m": 5, "monetary": 4310.0000, "frequency": 7, "recencyDays": 2}}]}""";

    static final String EVALUATION = """
            {"status": "done", "detail": null, "evaluation": 2, "watermark": "2011-12-09T12:50:00Z", "trigger": "demand",
             "clustered": true, "usersChanged": 0, "entered": 0, "left": 0,
             "sizes": {"cluster:dbscan:0": 2886, "cluster:kmeans:0": 2749, "rfm:champions": 632, "rule:big-spenders-uk": 219},
             "skipped": [{"segmentId": "rule:drama-fans", "reason": "uses category interests (projections/segments/drama-fans.yaml:8) \
            but the features projection's table 'user_category_interest' (user_id, category, weight) does not exist: not evaluated"}],
             "seconds": 0.7}""";

    static final String UNKNOWN_SEGMENT = "{\"type\":\"/problems/unknown-segment\",\"title\":\"Unknown segment\",\"status\":404,"
            + "\"detail\":\"No segment 'rfm:vip': see GET /v1/segments\",\"instance\":\"/v1/segments/rfm:vip/members\","
            + "\"segmentId\":\"rfm:vip\"}";

    static final String UNKNOWN_USER = "{\"type\":\"/problems/unknown-user\",\"title\":\"Unknown user\",\"status\":404,"
            + "\"detail\":\"No user with id 'bob' has sent any message\",\"instance\":\"/v1/users/bob/segments\",\"userId\":\"bob\"}";

    static final String BAD_LIMIT = "{\"type\":\"/problems/invalid-parameter\",\"title\":\"Invalid parameter\",\"status\":400,"
            + "\"detail\":\"limit must be an integer from 1 to 1000, not '5000'\",\"instance\":\"/v1/segments/rfm:lost/members\","
            + "\"parameter\":\"limit\"}";

    static final String BAD_DEFINITION = """
            {"type": "/problems/invalid-segment-definition", "title": "Invalid segment definition", "status": 422,
             "detail": "projections/segments/big-spenders-uk.yaml:9:7: unknown operator 'greaterThan' (expected one of eq, ne, gt, gte, lt, lte, between, in, notIn)",
             "instance": "/v1/admin/segments/evaluate", "file": "projections/segments/big-spenders-uk.yaml", "line": 9, "column": 7,
             "problem": "unknown operator 'greaterThan' (expected one of eq, ne, gt, gte, lt, lte, between, in, notIn)"}""";

    private SegmentExamples() {
    }
}
