package io.ulm.analytics;

/** OpenAPI examples of the analytics endpoints: Online Retail imported on an empty instance (docs/analytics.md). */
final class AnalyticsExamples {

    private AnalyticsExamples() {
    }

    static final String FUNNEL = """
            {"users": 4372, "steps": [
              {"stage": "ACQUIRED", "users": 4372, "previous": null, "conversion": null, "share": 1.0},
              {"stage": "ACTIVATED", "users": 4339, "previous": "ACQUIRED", "conversion": 0.9925, "share": 0.9925},
              {"stage": "ENGAGED", "users": 4339, "previous": "ACTIVATED", "conversion": 1.0, "share": 0.9925},
              {"stage": "MONETIZED", "users": 4339, "previous": "ENGAGED", "conversion": 1.0, "share": 0.9925},
              {"stage": "LOYAL", "users": 840, "previous": "MONETIZED", "conversion": 0.1936, "share": 0.1921},
              {"stage": "AT_RISK", "users": 3990, "previous": "ACQUIRED", "conversion": 0.9126, "share": 0.9126},
              {"stage": "CHURNED", "users": 2713, "previous": "AT_RISK", "conversion": 0.6799, "share": 0.6205},
              {"stage": "REACTIVATED", "users": 2552, "previous": "AT_RISK", "conversion": 0.6396, "share": 0.5837}]}""";
    static final String FUNNEL_CSV = """
            stage,users,previous,conversion,share
            ACQUIRED,4372,,,1.0
            ACTIVATED,4339,ACQUIRED,0.9925,0.9925
            ENGAGED,4339,ACTIVATED,1.0,0.9925
            MONETIZED,4339,ENGAGED,1.0,0.9925
            LOYAL,840,MONETIZED,0.1936,0.1921
            AT_RISK,3990,ACQUIRED,0.9126,0.9126
            CHURNED,2713,AT_RISK,0.6799,0.6205
            REACTIVATED,2552,AT_RISK,0.6396,0.5837
            """;
    static final String COHORTS = """
            {"period": "month", "retention": "recurring", "end": "2011-12-01", "cohorts": [
              {"cohort": "2010-12-01", "users": 948, "counts": [948, 362, 317, 367, 341, 376, 360, 336, 336, 374, 354, 474, 260],
               "shares": [1.0, 0.3819, 0.3344, 0.3871, 0.3597, 0.3966, 0.3797, 0.3544, 0.3544, 0.3945, 0.3734, 0.5, 0.2743]},
              {"cohort": "2011-11-01", "users": 321, "counts": [321, 43], "shares": [1.0, 0.134]},
              {"cohort": "2011-12-01", "users": 41, "counts": [41], "shares": [1.0]}]}""";
    static final String COHORTS_CSV = """
            cohort,users,k,period,retained,share
            2010-12-01,948,0,2010-12-01,948,1.0
            2010-12-01,948,1,2011-01-01,362,0.3819
            2010-12-01,948,2,2011-02-01,317,0.3344
            """;
    static final String TRANSITIONS = """
            {"period": "month", "periods": [{"start": "2010-12-01", "transitions": 1979, "cells": [
              {"from": null, "to": "ACQUIRED", "count": 948, "outOf": 948, "probability": 1.0},
              {"from": "ACQUIRED", "to": "MONETIZED", "count": 885, "outOf": 886, "probability": 0.9989},
              {"from": "ACQUIRED", "to": "AT_RISK", "count": 1, "outOf": 886, "probability": 0.0011},
              {"from": "MONETIZED", "to": "LOYAL", "count": 94, "outOf": 144, "probability": 0.6528},
              {"from": "MONETIZED", "to": "AT_RISK", "count": 50, "outOf": 144, "probability": 0.3472},
              {"from": "LOYAL", "to": "AT_RISK", "count": 1, "outOf": 1, "probability": 1.0}]}]}""";
    static final String TRANSITIONS_CSV = """
            period,from,to,count,out_of,probability
            all,,ACQUIRED,4372,4372,1.0
            all,ACQUIRED,MONETIZED,4278,4372,0.9785
            all,ACQUIRED,AT_RISK,94,4372,0.0215
            all,AT_RISK,CHURNED,3212,7320,0.4388
            all,AT_RISK,REACTIVATED,4108,7320,0.5612
            """;
    static final String LIFECYCLE = """
            {"period": "month", "series": [
              {"period": "2010-12-01", "new": 948, "returning": 0, "resurrecting": 0, "dormant": 0, "active": 948},
              {"period": "2011-01-01", "new": 421, "returning": 362, "resurrecting": 0, "dormant": -586, "active": 783},
              {"period": "2011-02-01", "new": 380, "returning": 299, "resurrecting": 119, "dormant": -484, "active": 798}]}""";
    static final String LIFECYCLE_CSV = """
            period,new,returning,resurrecting,dormant,active
            2010-11-29,323,0,0,0,323
            2010-12-06,368,80,0,-243,448
            2010-12-13,214,120,52,-328,386
            """;
    static final String BAD_PARAMETER = "{\"type\":\"/problems/invalid-parameter\",\"title\":\"Invalid query parameter\",\"status\":400,"
            + "\"detail\":\"query parameter 'from' is '2011-13-01'; expected an ISO date such as 2011-01-31 (a UTC day)\","
            + "\"instance\":\"/v1/analytics/funnel\",\"parameter\":\"from\"}";
    static final String BAD_PERIOD = "{\"type\":\"/problems/invalid-parameter\",\"title\":\"Invalid query parameter\",\"status\":400,"
            + "\"detail\":\"query parameter 'period' is 'day'; expected week or month\",\"instance\":\"/v1/analytics/cohorts\","
            + "\"parameter\":\"period\"}";
}
