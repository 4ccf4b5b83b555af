package io.ulm.support;

import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;

/** REST Assured requests with the test API keys. */
public final class Api {

    public static final String WRITE_KEY = "test-write-key";
    public static final String READ_KEY = "test-read-key";
    public static final String ADMIN_KEY = "test-admin-key";

    private Api() {
    }

    /** As a Segment SDK sends: HTTP Basic with the write key as user name and no password. */
    public static RequestSpecification writer() {
        return RestAssured.given().auth().preemptive().basic(WRITE_KEY, "").contentType("application/json");
    }

    public static RequestSpecification reader() {
        return RestAssured.given().header("Authorization", "Bearer " + READ_KEY);
    }

    public static RequestSpecification admin() {
        return RestAssured.given().header("Authorization", "Bearer " + ADMIN_KEY).contentType("application/json");
    }
}
