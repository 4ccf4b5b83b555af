package io.ulm.model;

/** OpenAPI examples of the model, churn and recommendation endpoints (docs/models.md explains every field). */
public final class ModelExamples {

    public static final String MODEL = """
            {"id": 3, "kind": "churn", "name": "logistic", "version": 2, "createdAt": "2026-11-30T04:03:14Z",
             "trainingWatermark": "2011-12-09T12:50:00Z", "metrics": {"served": "logistic", "validationRocAuc": 0.7253},
             "sha256": "9f2c4e0d6b1a8c3e5f7a9b0c2d4e6f8a1b3c5d7e9f0a2b4c6d8e0f1a3b5c7d9e", "active": true}""";

    public static final String MODELS = "{\"models\": [" + MODEL + "]}";

    public static final String EVALUATION = """
            {"modelId": 3, "kind": "churn", "name": "logistic", "version": 2, "evaluation": {"t1": "2011-06-12T12:50:00Z",
             "t2": "2011-09-10T12:50:00Z", "horizonDays": 90, "testUsers": 3412, "testChurnRate": 0.426,
             "test": {"logistic": {"rocAuc": 0.7402, "averagePrecision": 0.6212, "atThreshold": {"threshold": 0.418, "precision": 0.506,
             "recall": 0.9505, "f1": 0.6605}, "liftTopDecile": 1.558, "brier": 0.2164},
             "recency-rule": {"rocAuc": 0.6927, "averagePrecision": 0.5945, "atThreshold": {"threshold": 3.06, "precision": 0.4377,
             "recall": 0.9828, "f1": 0.6056}, "liftTopDecile": 1.523, "brier": null}}}}""";

    public static final String TRAINING = """
            {"id": 7, "kind": "recommender", "state": "RUNNING", "step": "fitting on the training part, tuning the hybrid on validation",
             "progress": 0.2, "modelId": null, "error": null, "requestedAt": "2026-11-30T04:01:02Z", "updatedAt": "2026-11-30T04:01:05Z",
             "finishedAt": null, "cancelRequestedAt": null}""";

    public static final String CANCELLING = """
            {"id": 8, "kind": "sequential", "state": "RUNNING", "step": "training SASRec: epoch 40 of at most 200, loss 0.3620, validation NDCG@10 0.6780",
             "progress": 0.24, "modelId": null, "error": null, "requestedAt": "2026-11-30T04:01:02Z", "updatedAt": "2026-11-30T04:08:41Z",
             "finishedAt": null, "cancelRequestedAt": "2026-11-30T04:08:50Z"}""";

    public static final String CONTRACT = """
            {"type": "/problems/model-contract", "title": "The model does not meet its contract", "status": 422,
             "detail": "input 'seen_mask' is missing; inputs are [user, k]", "instance": "/v1/models/recommender",
             "kind": "recommender", "violations": ["input 'seen_mask' is missing; inputs are [user, k]"]}""";

    public static final String RECOMMENDATIONS = """
            {"userId": "12347", "stage": "LOYAL", "strategy": "personalised",
             "model": {"id": 5, "kind": "hybrid", "name": "als+sasrec", "version": 1,
                       "blend": [{"id": 2, "kind": "recommender", "name": "als", "version": 1, "weight": 0.2},
                                 {"id": 5, "kind": "sequential", "name": "sasrec", "version": 1, "weight": 0.8}]},
             "items": [{"itemId": "22423", "score": 0.8731, "title": "REGENCY CAKESTAND 3 TIER", "categories": ["kitchen"]},
                       {"itemId": "85123A", "score": 0.8112, "title": "WHITE HANGING HEART T-LIGHT HOLDER", "categories": ["lighting"]}]}""";

    public static final String SIMILAR = """
            {"itemId": "22423", "items": [{"itemId": "22699", "score": 0.4121, "title": "ROSES REGENCY TEACUP AND SAUCER",
             "categories": ["kitchen"]}]}""";

    public static final String RISK = """
            {"userId": "12347", "at": "2011-12-09T12:50:00Z", "score": 0.1834, "pAlive": 0.9967, "expectedPurchases": 1.842,
             "horizonDays": 90, "clv": 2417.5, "model": {"id": 3, "name": "logistic", "version": 2},
             "contributions": [{"feature": "recency_days", "value": 1.87, "median": 38.5, "contribution": -0.0912}]}""";

    public static final String SCORING = """
            {"modelId": 3, "at": "2011-12-09T12:50:00Z", "users": 4372, "raised": 822, "seconds": 1.05, "usersPerMinute": 249272.6}""";

    public static final String NO_MODEL = """
            {"type": "/problems/no-churn-model", "title": "No churn model", "status": 409,
             "detail": "No churn model is active: train one (POST /v1/models/churn/train) or upload one", "instance": "/v1/admin/churn/score"}""";

    private ModelExamples() {
    }
}
