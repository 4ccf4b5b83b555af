package io.ulm.catalogue;

/** OpenAPI examples of the catalogue endpoints (docs/catalogue.md has the same in prose). */
final class CatalogueExamples {

    static final String DEFINITION = """
            {"title": "White hanging heart T-light holder", "description": "Metal heart with a glass T-light holder, 16 cm",
             "categories": ["lighting", "home-decor"], "properties": {"price": 2.55, "colour": "white"}}""";

    static final String DEFINED = """
            {"itemId": "85123A", "title": "White hanging heart T-light holder",
             "description": "Metal heart with a glass T-light holder, 16 cm", "categories": ["lighting", "home-decor"],
             "properties": {"price": 2.55, "colour": "white"}, "changed": true}""";

    static final String ITEM = """
            {"itemId": "85123A", "title": "White hanging heart T-light holder",
             "description": "Metal heart with a glass T-light holder, 16 cm", "categories": ["lighting", "home-decor"],
             "properties": {"price": 2.55, "colour": "white"}, "source": "catalogue",
             "definedAt": "2026-03-01T10:00:00.123Z", "firstSeen": "2010-12-01T08:26:00Z"}""";

    static final String SEEN_ITEM = """
            {"itemId": "sku-9", "title": "Blue mug", "description": null, "categories": [], "properties": {},
             "source": "seen", "definedAt": null, "firstSeen": "2024-02-20T09:15:00Z"}""";

    static final String INVALID_ITEM = """
            {"type": "/problems/invalid-item", "title": "Invalid item", "status": 400,
             "detail": "categories must be an array of strings", "instance": "/v1/items/85123A", "field": "categories",
             "errors": [{"field": "categories", "pointer": "/categories", "detail": "categories must be an array of strings"}]}""";

    static final String BULK_ARRAY = """
            [{"id": "1", "title": "Toy Story (1995)", "categories": ["Adventure", "Animation", "Children", "Comedy", "Fantasy"]},
             {"id": "2", "title": "Jumanji (1995)", "categories": ["Adventure", "Children", "Fantasy"], "properties": {"year": 1995}}]""";

    static final String BULK_NDJSON = """
            {"id": "1", "title": "Toy Story (1995)", "categories": ["Adventure", "Animation", "Children", "Comedy", "Fantasy"]}
            {"id": "2", "title": "Jumanji (1995)", "categories": ["Adventure", "Children", "Fantasy"]}
            """;

    static final String BULK_DONE = """
            {"received": 2, "defined": 1, "unchanged": 1, "rejected": 0, "errors": []}""";

    static final String BULK_INVALID = """
            {"type": "/problems/invalid-items", "title": "Some items are invalid", "status": 400,
             "detail": "1 of 3 items rejected; 2 defined, 0 unchanged", "instance": "/v1/items",
             "received": 3, "defined": 2, "unchanged": 0, "rejected": 1,
             "errors": [{"index": 1, "field": "title", "pointer": "/1/title", "detail": "title must be a string or null"}]}""";

    static final String MOVIES_CSV = """
            movieId,title,genres
            1,Toy Story (1995),Adventure|Animation|Children|Comedy|Fantasy
            2,Jumanji (1995),Adventure|Children|Fantasy
            """;

    static final String IMPORTED = """
            {"received": 9742, "defined": 9742, "unchanged": 0, "rejected": 0, "errors": []}""";

    static final String UNKNOWN_ITEM = """
            {"type": "/problems/unknown-item", "title": "Unknown item", "status": 404,
             "detail": "No item with id 'sku-404' is in the catalogue", "instance": "/v1/items/sku-404", "itemId": "sku-404"}""";

    private CatalogueExamples() {
    }
}
