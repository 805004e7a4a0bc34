//! The catalogue tables as `reference/` defines them, as a database holds them, and the SQL that
//! turns one into the other (a reference-data migration).

use connect2030::db::DbConnection;
use diesel::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

/// How a column's values are read and written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    Int,
    Float,
    Bool,
    /// `YYYY-MM-DD`, held as text.
    Date,
}

/// One stored value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Int(i64),
    Float(f64),
    Text(String),
    Bool(bool),
}

impl Value {
    fn sql(&self) -> String {
        match self {
            Self::Null => "NULL".into(),
            Self::Int(n) => n.to_string(),
            Self::Float(x) => format!("{x:?}"),
            Self::Text(t) => format!("'{}'", t.replace('\'', "''")),
            Self::Bool(b) => if *b { "TRUE" } else { "FALSE" }.into(),
        }
    }

    fn key(&self) -> String {
        match self {
            Self::Text(t) => t.clone(),
            other => other.sql(),
        }
    }
}

/// A catalogue table: its name, its columns (the primary key first) and its rows by key.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub name: &'static str,
    pub columns: Columns,
    pub key_len: usize,
    pub rows: BTreeMap<Vec<String>, Vec<Value>>,
}

use Kind::{Bool, Date, Float, Int, Text};

/// Column names and kinds, the primary key first.
pub type Columns = &'static [(&'static str, Kind)];

/// The catalogue tables with the length of their primary key, parents before children (the
/// order inserts need).
pub const TABLES: [(&str, usize, Columns); 8] = [
    ("goals", 1, &[("id", Int), ("name_en", Text), ("name_zh", Text), ("statement_en", Text), ("statement_zh", Text)]),
    (
        "indicators",
        1,
        &[
            ("code", Text),
            ("name", Text),
            ("unit", Text),
            ("first_year", Int),
            ("min_value", Float),
            ("max_value", Float),
            ("direction", Text),
            ("aggregation", Text),
            ("disaggregations", Text),
            ("note", Text),
        ],
    ),
    (
        "country_groups",
        1,
        &[("code", Text), ("name", Text), ("kind", Text), ("description", Text), ("source", Text), ("position", Int)],
    ),
    (
        "economies",
        1,
        &[
            ("iso3", Text),
            ("iso2", Text),
            ("m49", Text),
            ("name", Text),
            ("short_name", Text),
            ("un_region", Text),
            ("un_subregion", Text),
            ("status", Text),
        ],
    ),
    (
        "targets",
        1,
        &[
            ("id", Text),
            ("goal_id", Int),
            ("position", Int),
            ("kind", Text),
            ("target_value", Float),
            ("comparator", Text),
            ("direction", Text),
            ("group_code", Text),
            ("comparison_group_code", Text),
            ("deadline_year", Int),
            ("baseline_year", Int),
            ("measure", Text),
            ("wording_verified", Bool),
            ("text_en", Text),
            ("text_zh", Text),
            ("source", Text),
        ],
    ),
    ("target_indicators", 2, &[("target_id", Text), ("indicator_code", Text), ("position", Int)]),
    ("group_members", 2, &[("group_code", Text), ("iso3", Text), ("valid_from", Date), ("valid_to", Date)]),
    ("population", 2, &[("iso3", Text), ("year", Int), ("value", Int)]),
];

impl Table {
    /// An empty table by name.
    pub fn empty(name: &str) -> Self {
        let (name, key_len, columns) = *TABLES.iter().find(|(n, ..)| *n == name).expect("a catalogue table");
        Self { name, columns, key_len, rows: BTreeMap::new() }
    }

    /// Adds a row; panics on a repeated key (the reference files must not repeat one).
    pub fn insert(&mut self, row: Vec<Value>) {
        assert_eq!(row.len(), self.columns.len(), "{}: {row:?}", self.name);
        let key: Vec<String> = row[..self.key_len].iter().map(Value::key).collect();
        assert!(self.rows.insert(key.clone(), row).is_none(), "{}: key {key:?} repeated", self.name);
    }

    /// The first column of every row (codes, ids).
    pub fn keys(&self) -> BTreeSet<String> {
        self.rows.keys().map(|k| k[0].clone()).collect()
    }

    /// The table as the database holds it.
    pub fn load(name: &str, conn: &mut DbConnection) -> Self {
        #[derive(QueryableByName)]
        struct Cell {
            #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
            v: Option<String>,
        }
        let mut table = Self::empty(name);
        let order: Vec<&str> = table.columns[..table.key_len].iter().map(|(c, _)| *c).collect();
        let mut columns = Vec::new();
        for (column, kind) in table.columns {
            let sql = format!("SELECT CAST({column} AS TEXT) AS v FROM {name} ORDER BY {}", order.join(", "));
            let cells = diesel::sql_query(sql).load::<Cell>(conn).unwrap();
            columns.push(cells.into_iter().map(|c| parse(c.v, *kind)).collect::<Vec<_>>());
        }
        for i in 0..columns[0].len() {
            table.insert(columns.iter().map(|c| c[i].clone()).collect());
        }
        table
    }
}

fn parse(text: Option<String>, kind: Kind) -> Value {
    let Some(text) = text else { return Value::Null };
    match kind {
        Text | Date => Value::Text(text),
        Int => Value::Int(text.parse().unwrap()),
        Float => Value::Float(text.parse().unwrap()),
        Bool => Value::Bool(matches!(text.as_str(), "1" | "t" | "true")),
    }
}

/// SQL that turns `from` into `to` on both backends: inserts and updates parents first,
/// deletes children first, so foreign keys hold after every statement.
pub fn migration(from: &[Table], to: &[Table]) -> String {
    let mut sql = String::new();
    for (old, new) in from.iter().zip(to) {
        let key_columns = &new.columns[..new.key_len];
        for (key, row) in &new.rows {
            match old.rows.get(key) {
                None => {
                    let names: Vec<&str> = new.columns.iter().map(|(c, _)| *c).collect();
                    let values: Vec<String> = row.iter().map(Value::sql).collect();
                    let _ = writeln!(
                        sql,
                        "INSERT INTO {} ({}) VALUES ({});",
                        new.name,
                        names.join(", "),
                        values.join(", ")
                    );
                }
                Some(previous) if previous != row => {
                    let changes: Vec<String> = (new.key_len..row.len())
                        .filter(|&i| previous[i] != row[i])
                        .map(|i| format!("{} = {}", new.columns[i].0, row[i].sql()))
                        .collect();
                    let _ = writeln!(
                        sql,
                        "UPDATE {} SET {} WHERE {};",
                        new.name,
                        changes.join(", "),
                        matching(key_columns, row)
                    );
                }
                Some(_) => {}
            }
        }
    }
    for (old, new) in from.iter().zip(to).rev() {
        for (key, row) in &old.rows {
            if !new.rows.contains_key(key) {
                let _ = writeln!(sql, "DELETE FROM {} WHERE {};", old.name, matching(&old.columns[..old.key_len], row));
            }
        }
    }
    sql
}

fn matching(key_columns: &[(&str, Kind)], row: &[Value]) -> String {
    key_columns.iter().zip(row).map(|((c, _), v)| format!("{c} = {}", v.sql())).collect::<Vec<_>>().join(" AND ")
}
