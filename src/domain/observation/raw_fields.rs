//! A row's fields as sent, kept small: a 100,000-row batch holds 100,000 of them at once.

use super::{RawValue, FIELDS};
use std::borrow::Cow;

/// A row's fields by name, as sent (absent and empty ones left out). A short list rather than
/// a hash map (a row has a handful of fields), whose known names are not copied per row.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RawFields(Vec<(Cow<'static, str>, RawValue)>);

impl RawFields {
    /// The value of a field.
    pub fn get(&self, name: &str) -> Option<&RawValue> {
        self.0.iter().find(|(field, _)| field == name).map(|(_, value)| value)
    }

    /// Whether the row has this field.
    pub fn contains_key(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    /// Sets a field, replacing its value if it was there.
    pub fn insert(&mut self, name: &str, value: RawValue) {
        match self.0.iter_mut().find(|(field, _)| field == name) {
            Some((_, old)) => *old = value,
            None => self.0.push((known(name.to_string().into()), value)),
        }
    }

    /// Removes a field.
    pub fn remove(&mut self, name: &str) -> Option<RawValue> {
        let at = self.0.iter().position(|(field, _)| field == name)?;
        Some(self.0.swap_remove(at).1)
    }

    /// The names of the fields, in no particular order.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(|(field, _)| field.as_ref())
    }
}

/// A field name borrowed from [`FIELDS`] when it is one of them.
fn known(name: Cow<'static, str>) -> Cow<'static, str> {
    FIELDS.iter().find(|field| **field == name).map_or(name, |field| Cow::Borrowed(field))
}

impl<N: Into<Cow<'static, str>>> FromIterator<(N, RawValue)> for RawFields {
    /// Collects fields; of a name given twice, the last value counts (as in a JSON object).
    fn from_iter<I: IntoIterator<Item = (N, RawValue)>>(pairs: I) -> Self {
        let mut fields: Vec<_> = pairs.into_iter().map(|(name, value)| (known(name.into()), value)).collect();
        if fields.len() > 1 {
            // Sorting (stable, after reversing) keeps the last of each name first, in
            // O(n log n) even for a hostile row with thousands of fields.
            fields.reverse();
            fields.sort_by(|a, b| a.0.cmp(&b.0));
            fields.dedup_by(|later, first| later.0 == first.0);
        }
        fields.shrink_to_fit();
        Self(fields)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_last_value_of_a_repeated_name_counts_and_known_names_are_not_copied() {
        let fields: RawFields = [
            ("year".to_string(), RawValue::Number(2020.0)),
            ("note".to_string(), RawValue::Text("a".into())),
            ("year".to_string(), RawValue::Number(2021.0)),
        ]
        .into_iter()
        .collect();
        assert_eq!(fields.get("year"), Some(&RawValue::Number(2021.0)));
        assert_eq!(fields.keys().count(), 2);
        assert!(fields.0.iter().all(|(name, _)| matches!(name, Cow::Borrowed(_))));
        let mut fields = fields;
        fields.insert("colour", RawValue::Bool(true));
        assert_eq!(fields.remove("note"), Some(RawValue::Text("a".into())));
        assert!(!fields.contains_key("note") && fields.contains_key("colour"));
    }
}
