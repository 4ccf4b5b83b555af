package io.ulm.ingest;

/** Request and response examples shown in the OpenAPI document (Swagger UI). */
final class ApiExamples {

    static final String BATCH = """
            {"sentAt": "2024-03-01T12:00:02.000Z", "batch": [
              {"type": "page", "messageId": "b-1", "anonymousId": "anon-5d1c", "name": "Home", "timestamp": "2024-03-01T11:57:00.000Z"},
              {"type": "identify", "messageId": "b-2", "anonymousId": "anon-5d1c", "userId": "ada", "traits": {"email": "ada@example.org", "plan": "pro"}, "timestamp": "2024-03-01T11:58:00.000Z"},
              {"type": "track", "messageId": "b-3", "userId": "ada", "event": "Order Completed", "timestamp": "2024-03-01T11:59:30.000Z",
               "properties": {"order_id": "o-1", "revenue": 30, "currency": "GBP", "products": [{"product_id": "sku-7", "price": 15, "quantity": 2}]}}]}""";
    static final String TRACK = """
            {"messageId": "t-1", "userId": "ada", "event": "Product Viewed", "timestamp": "2024-03-01T12:00:00.000Z", "properties": {"product_id": "sku-7"}}""";
    static final String IDENTIFY = """
            {"messageId": "i-1", "userId": "ada", "anonymousId": "anon-5d1c", "traits": {"email": "ada@example.org", "plan": "pro", "country": "GB"}}""";
    static final String PAGE = """
            {"messageId": "p-1", "anonymousId": "anon-5d1c", "name": "Pricing", "properties": {"path": "/pricing"}}""";
    static final String SCREEN = """
            {"messageId": "s-1", "userId": "ada", "name": "Watchlist", "context": {"channel": "mobile"}}""";
    static final String ALIAS = """
            {"messageId": "a-1", "userId": "ada", "previousId": "anon-77aa"}""";
    static final String GROUP = """
            {"messageId": "g-1", "userId": "ada", "groupId": "acme", "traits": {"plan": "enterprise"}}""";
    static final String ACCEPTED = """
            {"success": true, "accepted": 3, "duplicates": 0}""";
    static final String INVALID = """
            {"type": "/problems/invalid-messages", "title": "Some messages are invalid", "status": 400,
             "detail": "1 of 2 messages rejected; 1 stored, 0 duplicates", "instance": "/v1/batch",
             "accepted": 1, "duplicates": 0, "rejected": 1,
             "errors": [{"index": 1, "pointer": "/batch/1/timestamp", "detail": "timestamp must be an RFC 3339 date-time with a zone offset"}]}""";
    static final String NDJSON = """
            {"type":"track","messageId":"h-1","userId":"ada","event":"Order Completed","timestamp":"2023-05-01T10:00:00Z","properties":{"revenue":12}}
            {"type":"track","messageId":"h-2","userId":"ada","event":"Product Viewed","timestamp":"2023-06-01T10:00:00Z"}""";
    static final String IMPORTED = """
            {"importId": "3f7d…", "source": "http:ndjson", "read": 2, "stored": 2, "duplicates": 0, "rejected": 0, "skipped": 0,
             "maxEventTime": "2023-06-01T10:00:00Z", "decidedUpTo": "2023-06-01T10:00:00Z", "usersDecided": 1, "seconds": 0.4, "errors": []}""";

    private ApiExamples() {
    }
}
