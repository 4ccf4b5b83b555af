package io.ulm.projection;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.math.BigDecimal;
import java.time.Instant;

/** The user-profile read model as Hibernate Reactive reads it (written only by the projection). */
@Entity
@Table(name = "user_profile")
public class UserProfile extends PanacheEntityBase {

    @Id
    @Column(name = "user_id")
    public String userId;
    public String stage;
    @Column(name = "stage_since")
    public Instant stageSince;
    @Column(name = "stage_rule")
    public String stageRule;
    @Column(name = "acquired_at")
    public Instant acquiredAt;
    @Column(name = "first_seen")
    public Instant firstSeen;
    @Column(name = "last_seen")
    public Instant lastSeen;
    @Column(name = "last_activity_at")
    public Instant lastActivityAt;
    public long messages;
    public long activities;
    @Column(name = "late_messages")
    public long lateMessages;
    public long purchases;
    public long refunds;
    public BigDecimal revenue;
    public BigDecimal refunded;
    @Column(name = "distinct_items")
    public int distinctItems;
}
