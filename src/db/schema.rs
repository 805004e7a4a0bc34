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
