//! A minimal XML writer for the SDMX-ML messages: elements with attributes and text into a
//! `String`, every value escaped. The messages need nothing else (no namespaces to resolve,
//! no mixed content), so this is shorter than driving a general XML library.

use std::fmt::Write;

/// The XML declaration every message starts with.
pub const DECLARATION: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";

/// Escapes text for an attribute value or element content. Characters XML 1.0 cannot carry
/// at all (control characters other than tab and line breaks) become U+FFFD.
pub fn escape(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\t' | '\n' | '\r' => {
                let _ = write!(out, "&#{};", c as u32);
            }
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
}

fn start(out: &mut String, name: &str, attributes: &[(&str, &str)]) {
    out.push('<');
    out.push_str(name);
    for (key, value) in attributes {
        out.push(' ');
        out.push_str(key);
        out.push_str("=\"");
        escape(value, out);
        out.push('"');
    }
}

/// `<name a="v">`.
pub fn open(out: &mut String, name: &str, attributes: &[(&str, &str)]) {
    start(out, name, attributes);
    out.push('>');
}

/// `</name>`.
pub fn close(out: &mut String, name: &str) {
    out.push_str("</");
    out.push_str(name);
    out.push('>');
}

/// `<name a="v"/>`.
pub fn empty(out: &mut String, name: &str, attributes: &[(&str, &str)]) {
    start(out, name, attributes);
    out.push_str("/>");
}

/// `<name a="v">text</name>`.
pub fn text(out: &mut String, name: &str, attributes: &[(&str, &str)], content: &str) {
    open(out, name, attributes);
    escape(content, out);
    close(out, name);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_escaped_and_controls_replaced() {
        let mut out = String::new();
        text(&mut out, "a", &[("b", "x\"<&>")], "1 < 2 & \u{1}\n");
        assert_eq!(out, "<a b=\"x&quot;&lt;&amp;&gt;\">1 &lt; 2 &amp; \u{fffd}&#10;</a>");
        let mut out = String::new();
        empty(&mut out, "c", &[]);
        assert_eq!(out, "<c/>");
    }
}
