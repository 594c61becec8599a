package dev.threatip.store;

import java.util.List;

/**
 * The store's schema as an ordered list of migrations: migration {@code i} (0-based) takes a file
 * from schema version {@code i} to {@code i + 1}. Append new steps, never edit released ones.
 * Columns are documented in {@code README.md}.
 */
final class Schema {
    private Schema() {
    }

    /** The migrations, oldest first; the schema version of this build is their count. */
    static final List<String> MIGRATIONS = List.of(
            // 1: events, detections, ip_profiles
            """
            CREATE TABLE events (
                ts         TIMESTAMP NOT NULL,
                ip         VARCHAR   NOT NULL,
                ip_hi      BIGINT    NOT NULL,
                ip_lo      BIGINT    NOT NULL,
                method     VARCHAR,
                host       VARCHAR,
                path       VARCHAR,
                query      VARCHAR,
                status     INTEGER,
                bytes      BIGINT,
                user_agent VARCHAR,
                referer    VARCHAR,
                raw        VARCHAR,
                source     VARCHAR,
                line       BIGINT
            );
            CREATE TABLE detections (
                ts             TIMESTAMP NOT NULL,
                ip             VARCHAR,
                ip_hi          BIGINT,
                ip_lo          BIGINT,
                rule           VARCHAR   NOT NULL,
                category       VARCHAR   NOT NULL,
                confidence     VARCHAR   NOT NULL,
                group_key      VARCHAR   NOT NULL,
                count          BIGINT    NOT NULL,
                window_seconds BIGINT    NOT NULL,
                first_seen     TIMESTAMP,
                last_seen      TIMESTAMP
            );
            CREATE TABLE ip_profiles (
                ip            VARCHAR PRIMARY KEY,
                ip_hi         BIGINT    NOT NULL,
                ip_lo         BIGINT    NOT NULL,
                verdict       VARCHAR   NOT NULL,
                level         VARCHAR,
                level_rank    INTEGER   NOT NULL,
                category_keys VARCHAR   NOT NULL,
                categories    VARCHAR   NOT NULL,
                hits          BIGINT    NOT NULL,
                first_seen    TIMESTAMP NOT NULL,
                last_seen     TIMESTAMP NOT NULL,
                updated       TIMESTAMP NOT NULL
            );
            """,
            // 2: geo/ASN of a profile (from the geo databases at upsert), a hit's policy action (set by the gateway)
            """
            ALTER TABLE ip_profiles ADD COLUMN country VARCHAR;
            ALTER TABLE ip_profiles ADD COLUMN city VARCHAR;
            ALTER TABLE ip_profiles ADD COLUMN lat DOUBLE;
            ALTER TABLE ip_profiles ADD COLUMN lon DOUBLE;
            ALTER TABLE ip_profiles ADD COLUMN asn BIGINT;
            ALTER TABLE ip_profiles ADD COLUMN as_org VARCHAR;
            ALTER TABLE detections ADD COLUMN action VARCHAR;
            """,
            // 3: decisions (DecisionStore); one sequence numbers both new decisions and endings, the
            // bouncer stream's cursor. Addresses as order-preserving halves (sign bit flipped).
            """
            CREATE SEQUENCE decision_seq START 1;
            CREATE TABLE decisions (
                id         BIGINT    PRIMARY KEY,
                scope      VARCHAR   NOT NULL,
                start_hi   BIGINT    NOT NULL,
                start_lo   BIGINT    NOT NULL,
                end_hi     BIGINT    NOT NULL,
                end_lo     BIGINT    NOT NULL,
                type       VARCHAR   NOT NULL,
                created    TIMESTAMP NOT NULL,
                expires    TIMESTAMP NOT NULL,
                reason     VARCHAR,
                origin     VARCHAR   NOT NULL,
                policy     VARCHAR,
                category   VARCHAR,
                confidence VARCHAR,
                hits       BIGINT    NOT NULL,
                offence    INTEGER   NOT NULL,
                simulated  BOOLEAN   NOT NULL,
                deleted_at TIMESTAMP,
                ended_seq  BIGINT
            );
            """,
            // 4: alert outbox:
            // one row per alert message and channel, owed until delivered or failed for good
            """
            CREATE SEQUENCE alert_outbox_ids START 1;
            CREATE TABLE alert_outbox (
                id           BIGINT    PRIMARY KEY DEFAULT nextval('alert_outbox_ids'),
                policy       VARCHAR   NOT NULL,
                channel      VARCHAR   NOT NULL,
                payload      VARCHAR   NOT NULL,
                created      TIMESTAMP NOT NULL,
                state        VARCHAR   NOT NULL,
                attempts     INTEGER   NOT NULL,
                next_attempt TIMESTAMP,
                delivered_at TIMESTAMP,
                last_error   VARCHAR
            );
            """,
            // 5: bouncer keys (BouncerStore): the key's SHA-256 only; each bouncer's decision stream cursor
            """
            CREATE TABLE bouncers (
                name        VARCHAR   PRIMARY KEY,
                key_hash    VARCHAR   NOT NULL UNIQUE,
                created     TIMESTAMP NOT NULL,
                last_pull   TIMESTAMP,
                last_cursor BIGINT    NOT NULL,
                last_ip     VARCHAR,
                user_agent  VARCHAR
            );
            """,
            // 6: requests threatip gate decided (its hit log, ingested by serve): the hits view, profiles, overview
            """
            CREATE TABLE gateway_hits (
                ts         TIMESTAMP NOT NULL,
                ip         VARCHAR   NOT NULL,
                ip_hi      BIGINT    NOT NULL,
                ip_lo      BIGINT    NOT NULL,
                rule       VARCHAR   NOT NULL,
                category   VARCHAR,
                confidence VARCHAR,
                action     VARCHAR   NOT NULL,
                enforced   BOOLEAN   NOT NULL,
                request_id VARCHAR,
                status     INTEGER,
                method     VARCHAR,
                host       VARCHAR,
                path       VARCHAR,
                source     VARCHAR
            );
            """,
            // 7: per-minute rollups behind stats (MinuteRollups), filled from what is stored
            """
            CREATE TABLE minute_requests (
                minute TIMESTAMP PRIMARY KEY,
                n      BIGINT NOT NULL
            );
            CREATE TABLE flagged_minutes (
                ip_hi  BIGINT    NOT NULL,
                ip_lo  BIGINT    NOT NULL,
                minute TIMESTAMP NOT NULL,
                n      BIGINT    NOT NULL,
                PRIMARY KEY (ip_hi, ip_lo, minute)
            );
            INSERT INTO minute_requests SELECT date_trunc('minute', ts) AS minute, count(*) FROM events GROUP BY ALL;
            INSERT INTO flagged_minutes SELECT e.ip_hi, e.ip_lo, date_trunc('minute', e.ts) AS minute, count(*)
                FROM events e JOIN ip_profiles p ON p.ip_hi = e.ip_hi AND p.ip_lo = e.ip_lo GROUP BY ALL;
            """);

    /** The schema version this build writes. */
    static int currentVersion() {
        return MIGRATIONS.size();
    }
}
