//! Spreadsheet-safe CSV cells (OWASP "CSV injection"): no cell the service writes starts with a
//! character a spreadsheet reads as the start of a formula. Such a cell gets a leading `'`,
//! which spreadsheets show as text; the importer removes exactly that one `'`, so an export
//! sent back changes no stored value.

/// Characters that make a spreadsheet evaluate a cell (`=`, `+`, `-`, `@`, tab, carriage
/// return), and `'` itself, so a value that really starts with `'` survives the round trip.
const ESCAPED: [char; 7] = ['=', '+', '-', '@', '\t', '\r', '\''];

/// The cell as written: `'` before a cell that starts with a formula character or `'`.
pub fn escape(cell: &str) -> std::borrow::Cow<'_, str> {
    if cell.starts_with(ESCAPED) {
        format!("'{cell}").into()
    } else {
        cell.into()
    }
}

/// The value behind a cell as read: drops the `'` that [`escape`] adds (a `'` followed by a
/// formula character or another `'`); any other cell is taken as it is.
pub fn unescape(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(ESCAPED) => rest,
        _ => cell,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_cells_are_escaped_and_every_cell_round_trips() {
        for cell in ["=HYPERLINK(\"x\")", "+1", "-2.5", "@SUM(1+1)", "\tx", "\rx", "'=1", "'quoted", "''", "plain", ""]
        {
            let written = escape(cell);
            assert!(!written.starts_with(['=', '+', '-', '@', '\t', '\r']), "{written:?}");
            assert_eq!(unescape(&written), cell);
        }
        assert_eq!(unescape("'hello"), "'hello", "a hand-written leading quote is kept");
    }
}
