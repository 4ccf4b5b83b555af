package io.ulm.feature;

/** OpenAPI examples of the features endpoint (docs/features.md explains every field). */
final class FeatureExamples {

    static final String FEATURES = """
            {"userId": "12347", "asOf": "2011-12-09T12:50:00Z", "basis": "watermark",
             "acquiredAt": "2010-12-07T14:57:00Z", "tenureDays": 366.9076,
             "activities": 7, "sessions": 7, "firstActivityAt": "2010-12-07T14:57:00Z", "lastActivityAt": "2011-12-07T15:52:00Z",
             "recencyDays": 1.8743,
             "purchases": 7, "firstPurchaseAt": "2010-12-07T14:57:00Z", "lastPurchaseAt": "2011-12-07T15:52:00Z",
             "purchaseRecencyDays": 1.8743, "meanInterPurchaseDays": 60.8264,
             "refunds": 0, "revenue": 4310.0000, "refunded": 0.0000, "netRevenue": 4310.0000, "averageOrderValue": 615.7143,
             "activityLast4Weeks": 1, "activityPrevious4Weeks": 1, "activityTrend": 0.0,
             "categoryHalfLife": "PT720H",
             "categoryInterests": [{"category": "kitchen", "weight": 39.61, "share": 0.3102},
                                   {"category": "stationery", "weight": 21.4, "share": 0.1676},
                                   {"category": "bags", "weight": 18.02, "share": 0.1411}]}""";

    static final String BAD_AS_OF = """
            {"type": "/problems/invalid-parameter", "title": "Invalid parameter", "status": 400,
             "detail": "asOf must be an RFC 3339 instant such as 2024-03-01T00:00:00Z, not '1 March'",
             "instance": "/v1/users/12347/features", "parameter": "asOf"}""";

    static final String UNKNOWN = """
            {"type": "/problems/unknown-user", "title": "Unknown user", "status": 404,
             "detail": "No user with id 'bob' has sent any message", "instance": "/v1/users/bob/features", "userId": "bob"}""";

    private FeatureExamples() {
    }
}
