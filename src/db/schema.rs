//! Diesel table definitions, using only types both backends share.

diesel::table! {
    goals (id) {
        id -> Integer,
        name_en -> Text,
        name_zh -> Text,
        statement_en -> Text,
        statement_zh -> Text,
    }
}

diesel::table! {
    indicators (code) {
        code -> Text,
        name -> Text,
        unit -> Text,
        min_value -> Nullable<Double>,
        max_value -> Nullable<Double>,
        direction -> Text,
        aggregation -> Text,
        disaggregations -> Text,
        note -> Nullable<Text>,
        first_year -> Integer,
    }
}

diesel::table! {
    country_groups (code) {
        code -> Text,
        name -> Text,
        kind -> Text,
        description -> Text,
        source -> Text,
        position -> Integer,
    }
}

diesel::table! {
    targets (id) {
        id -> Text,
        goal_id -> Integer,
        position -> Integer,
        kind -> Text,
        target_value -> Nullable<Double>,
        comparator -> Text,
        direction -> Text,
        group_code -> Text,
        comparison_group_code -> Nullable<Text>,
        deadline_year -> Integer,
        baseline_year -> Nullable<Integer>,
        measure -> Text,
        wording_verified -> Bool,
        text_en -> Text,
        text_zh -> Text,
        source -> Text,
    }
}

diesel::table! {
    target_indicators (target_id, indicator_code) {
        target_id -> Text,
        indicator_code -> Text,
        position -> Integer,
    }
}

diesel::table! {
    economies (iso3) {
        iso3 -> Text,
        iso2 -> Nullable<Text>,
        m49 -> Nullable<Text>,
        name -> Text,
        short_name -> Text,
        un_region -> Nullable<Text>,
        un_subregion -> Nullable<Text>,
        status -> Nullable<Text>,
    }
}

diesel::table! {
    group_members (group_code, iso3) {
        group_code -> Text,
        iso3 -> Text,
        valid_from -> Nullable<Date>,
        valid_to -> Nullable<Date>,
    }
}

diesel::table! {
    population (iso3, year) {
        iso3 -> Text,
        year -> Integer,
        value -> BigInt,
    }
}

diesel::allow_tables_to_appear_in_same_query!(
    goals,
    indicators,
    country_groups,
    targets,
    target_indicators,
    economies,
    group_members,
    population,
);

diesel::table! {
    data_state (id) {
        id -> Integer,
        version -> BigInt,
        writes -> BigInt,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    indicator_versions (indicator) {
        indicator -> Text,
        version -> BigInt,
    }
}

diesel::table! {
    reporters (id) {
        id -> BigInt,
        name -> Text,
        country -> Nullable<Text>,
        is_admin -> Bool,
        created_at -> Timestamp,
    }
}

diesel::table! {
    api_keys (id) {
        id -> BigInt,
        reporter_id -> BigInt,
        prefix -> Text,
        key_hash -> Text,
        created_at -> Timestamp,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    submissions (id) {
        id -> BigInt,
        reporter_id -> BigInt,
        key_id -> Nullable<BigInt>,
        format -> Text,
        row_count -> Integer,
        created -> Integer,
        revised -> Integer,
        unchanged -> Integer,
        data_version -> BigInt,
        received_at -> Timestamp,
        report -> Text,
    }
}

diesel::table! {
    observations (id) {
        id -> BigInt,
        country -> Text,
        indicator -> Text,
        year -> Integer,
        disaggregation -> Text,
        current_revision_id -> BigInt,
    }
}

diesel::table! {
    revisions (id) {
        id -> BigInt,
        observation_id -> BigInt,
        number -> Integer,
        value -> Nullable<Double>,
        withdrawn -> Bool,
        source -> Nullable<Text>,
        nature -> Text,
        note -> Nullable<Text>,
        evidence_url -> Nullable<Text>,
        reporter_id -> BigInt,
        key_id -> Nullable<BigInt>,
        submission_id -> Nullable<BigInt>,
        recorded_at -> Timestamp,
    }
}

diesel::table! {
    state_snapshots (revision_id) {
        revision_id -> BigInt,
        value_bits -> Binary,
    }
}

diesel::table! {
    idempotency_records (reporter_id, idempotency_key) {
        reporter_id -> BigInt,
        idempotency_key -> Text,
        request_hash -> Text,
        submission_id -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    initiatives (id) {
        id -> BigInt,
        country -> Text,
        kind -> Text,
        title -> Text,
        summary -> Text,
        url -> Nullable<Text>,
        year -> Nullable<Integer>,
        targets -> Text,
        reporter_id -> BigInt,
        key_id -> Nullable<BigInt>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    audit_events (id) {
        id -> BigInt,
        at -> Timestamp,
        actor_reporter_id -> Nullable<BigInt>,
        actor_key_id -> Nullable<BigInt>,
        action -> Text,
        subject -> Text,
        detail -> Text,
    }
}

diesel::joinable!(api_keys -> reporters (reporter_id));
diesel::joinable!(revisions -> observations (observation_id));
diesel::joinable!(submissions -> reporters (reporter_id));

diesel::allow_tables_to_appear_in_same_query!(
    data_state,
    reporters,
    api_keys,
    submissions,
    observations,
    revisions,
    state_snapshots,
    idempotency_records,
    initiatives,
    audit_events,
    economies,
);
